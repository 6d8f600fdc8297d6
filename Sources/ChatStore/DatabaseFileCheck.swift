import Foundation
import GRDB

/// Checks an existing database file before anything may write to it, so that a file this
/// program must refuse is left byte for byte as it was.
enum DatabaseFileCheck {
    /// The 16 bytes every SQLite 3 database file starts with.
    private static let header = Array("SQLite format 3\0".utf8)

    static func check(path: String, supportedVersion: Int) throws(StoreError) {
        let directory = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
            throw .cannotOpen(path: path, detail: "the directory \(directory) does not exist")
        }
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            guard FileManager.default.isWritableFile(atPath: directory.isEmpty ? "." : directory) else {
                throw .cannotOpen(path: path, detail: "the directory \(directory.isEmpty ? "." : directory) is not writable")
            }
            return
        }
        guard !isDirectory.boolValue else { throw .cannotOpen(path: path, detail: "it is a directory") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .cannotOpen(path: path, detail: "the file is not readable")
        }
        let start = (try? handle.read(upToCount: header.count)).map { Array($0) } ?? []
        try? handle.close()
        guard !start.isEmpty else { return }  // SQLite treats an empty file as an empty database.
        guard start == header else { throw .notADatabase(path: path) }

        let version: Int
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            version = try queue.read { db in
                _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_schema")
                return try Schema.version(db)
            }
            try queue.close()
        } catch {
            throw .corrupt(path: path, detail: SQLiteChatStore.describe(error))
        }
        guard version <= supportedVersion else {
            throw .newerSchema(path: path, found: version, supported: supportedVersion)
        }
        guard FileManager.default.isWritableFile(atPath: path) else {
            throw .cannotOpen(path: path, detail: "the file is read-only")
        }
    }
}
