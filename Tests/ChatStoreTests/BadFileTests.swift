import ChatStore
import Foundation
import GRDB
import Testing

@Suite struct BadFileTests {
    /// Writes `bytes` to a file, tries to open it as a store, and checks the error and that
    /// the file is left byte for byte as it was (and no journal files appeared).
    private func expectRefused(_ bytes: [UInt8], error: (String) -> StoreError) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appending(path: "chat.sqlite").path
        try Data(bytes).write(to: URL(filePath: path))
        #expect(throws: error(path)) { try SQLiteChatStore(path: path) }
        #expect(Array(try Data(contentsOf: URL(filePath: path))) == bytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["chat.sqlite"])
    }

    @Test func aFileThatIsNotADatabaseIsRefusedAndUntouched() throws {
        try expectRefused(Array("hello, this is a text file and not a database at all\n".utf8)) { .notADatabase(path: $0) }
        #expect(StoreError.notADatabase(path: "/x/chat.sqlite").message == "Cannot open database /x/chat.sqlite: the file is not a SQLite database")
    }

    @Test func aCorruptDatabaseIsRefusedAndUntouched() throws {
        // A real SQLite header followed by garbage.
        var bytes = Array("SQLite format 3\0".utf8)
        bytes += [0x10, 0x00, 0x01, 0x01, 0x00, 0x40, 0x20, 0x20]
        bytes += (0..<8_168).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appending(path: "chat.sqlite").path
        try Data(bytes).write(to: URL(filePath: path))
        #expect {
            try SQLiteChatStore(path: path)
        } throws: { error in
            guard case .corrupt(let failing, _) = error as? StoreError else { return false }
            return failing == path && (error as! StoreError).message.hasPrefix("Cannot open database \(path): the file is corrupt (")
        }
        #expect(Array(try Data(contentsOf: URL(filePath: path))) == bytes)
    }

    @Test func aDatabaseFromANewerSchemaIsRefusedAndUntouched() async throws {
        try await withDatabasePath { path in
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in try db.execute(sql: "CREATE TABLE future (x); PRAGMA user_version = 99") }
            try queue.close()
            let before = try Data(contentsOf: URL(filePath: path))
            #expect(throws: StoreError.newerSchema(path: path, found: 99, supported: 2)) { try SQLiteChatStore(path: path) }
            #expect(try Data(contentsOf: URL(filePath: path)) == before)
            #expect(StoreError.newerSchema(path: "db", found: 99, supported: 1).message
                == "Cannot open database db: it has schema version 99, written by a newer chat-server; this one supports up to 1")
        }
    }

    @Test func aMissingDirectoryIsNamed() {
        let path = "/nonexistent-\(UUID().uuidString)/chat.sqlite"
        #expect(throws: StoreError.cannotOpen(path: path, detail: "the directory \((path as NSString).deletingLastPathComponent) does not exist")) {
            try SQLiteChatStore(path: path)
        }
    }

    @Test func aDirectoryWhereNothingCanBeCreatedIsNamed() {
        // /proc accepts no new files, even for root (tests may run as root, who ignores chmod).
        #expect {
            try SQLiteChatStore(path: "/proc/chat.sqlite")
        } throws: { error in
            guard case .cannotOpen(let path, _) = error as? StoreError else { return false }
            return path == "/proc/chat.sqlite"
        }
    }

    @Test func aDirectoryIsNotADatabase() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: StoreError.cannotOpen(path: directory.path, detail: "it is a directory")) { try SQLiteChatStore(path: directory.path) }
    }

    @Test func anEmptyFileBecomesADatabase() async throws {
        try await withDatabasePath { path in
            #expect(FileManager.default.createFile(atPath: path, contents: Data()))
            let store = try SQLiteChatStore(path: path)
            #expect(try await store.recover(window: 1).isEmpty)
        }
    }
}
