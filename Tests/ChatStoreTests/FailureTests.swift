import ChatEngine
@testable import ChatStore
import Foundation
import GRDB
import Testing

@Suite struct FailureTests {
    private let alice = User(id: UserID(1), username: "alice", registeredAt: .zero)
    private let lobby = Room(id: RoomID(1), kind: .public, name: "lobby", createdBy: UserID(1), createdAt: .zero, pair: nil)

    private func message(_ id: Int64, _ text: String) -> StoreWrite {
        .fact(.messageAccepted(Message(id: MessageID(id), room: RoomID(1), seq: id, sender: UserID(1), text: text, clientMessageID: nil, sentAt: .zero)))
    }

    private func storeWithLobby(_ database: TestDatabase) async throws -> any ChatStore {
        let store = try await database.open()
        try await store.append([.fact(.userRegistered(alice)), .fact(.roomCreated(lobby))])
        return store
    }

    @Test(arguments: StoreKind.underTest)
    func aFailedWriteIsReportedToItsCallerAndClosesTheStoreUntilRecovery(_ kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { database in
            let store = try await storeWithLobby(database)
            try await store.append([message(1, "fine")])
            try await database.failInsertsOfBoom()
            await #expect(throws: StoreError.writeFailed(detail: "injected failure")) {
                try await store.append([message(2, "ok in the same transaction"), message(3, "boom")])
            }
            #expect(failure(of: store) == .writeFailed(detail: "injected failure"))
            await #expect(throws: StoreError.unavailable("Storage write failed: injected failure")) {
                try await store.append([message(2, "after the failure")])
            }
            // Nothing of the failed batch was committed; recovery reopens the store for writes.
            let facts = try await store.recover(window: 10)
            #expect(facts.count == 3)
            #expect(failure(of: store) == nil)
            try await store.append([message(2, "after recovery")])
            #expect(try await store.messages(in: RoomID(1), before: nil, limit: 10, includingDeleted: true).map(\.text) == ["fine", "after recovery"])
        }
    }

    @Test(arguments: StoreKind.underTest)
    func everyCallerInAFailedBatchGetsTheError(_ kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { database in
            let store = try await storeWithLobby(database)
            try await database.failInsertsOfBoom()
            let results = await withTaskGroup(of: Result<Void, StoreError>.self) { group in
                for id in 1...64 {
                    let write = message(Int64(id), id == 40 ? "boom" : "m\(id)")
                    group.addTask {
                        do throws(StoreError) {
                            try await store.append([write])
                            return .success(())
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let committed = try await store.messages(in: RoomID(1), before: nil, limit: 100, includingDeleted: true)
            // Acknowledged exactly when committed: successes and stored rows match one for one.
            #expect(results.filter { (try? $0.get()) != nil }.count == committed.count)
            #expect(results.contains { if case .failure(.writeFailed) = $0 { true } else { false } })
            #expect(!committed.contains { $0.text == "boom" })
        }
    }

    /// A batch of several statements fails as a whole when its last one fails.
    @Test(arguments: StoreKind.underTest)
    func aBatchIsCommittedWholeOrNotAtAll(_ kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { database in
            let store = try await storeWithLobby(database)
            await #expect(throws: StoreError.writeFailed(detail: "no user 9 for the password hash")) {
                try await store.append([message(1, "stored first"), .fact(.roomArchived(lobby.id)), .passwordHash(UserID(9), "hash")])
            }
            let facts = try await store.recover(window: 10)
            #expect(facts == [.userRegistered(alice), .roomCreated(lobby)])
        }
    }

    @Test func aFullDiskFailsTheWriteAndKeepsWhatWasCommitted() async throws {
        try await withDatabasePath { path in
            let store = try SQLiteChatStore(path: path)
            try await store.append([.fact(.userRegistered(alice)), .fact(.roomCreated(lobby))])
            let pages = try await store.database.read { db in try Int.fetchOne(db, sql: "PRAGMA page_count")! }
            try await store.database.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA max_page_count = \(pages + 1)")
            }
            let big = String(repeating: "x", count: 64 * 1024)
            await #expect(throws: StoreError.writeFailed(detail: "database or disk is full")) {
                try await store.append((1...4).map { message(Int64($0), big) })
            }
            #expect(try await store.messages(in: RoomID(1), before: nil, limit: 10, includingDeleted: true).isEmpty)
        }
    }

    @Test(arguments: StoreKind.underTest)
    func aConstraintViolationIsAFailureNotADuplicate(_ kind: StoreKind) async throws {
        let expected = switch kind {
        case .sqlite: "UNIQUE constraint failed: messages.id"
        case .postgres: #"duplicate key value violates unique constraint "messages_pkey""#
        }
        try await TestDatabase.with(kind) { database in
            let store = try await storeWithLobby(database)
            try await store.append([message(1, "first")])
            await #expect(throws: StoreError.writeFailed(detail: expected)) {
                try await store.append([message(1, "again")])
            }
        }
    }

    /// A room's seq is taken once, whatever the message id: the last guard of the one writer's order.
    @Test(arguments: StoreKind.underTest)
    func aSecondMessageAtATakenSeqIsRefused(_ kind: StoreKind) async throws {
        let expected = switch kind {
        case .sqlite: "UNIQUE constraint failed: messages.room_id, messages.seq"
        case .postgres: #"duplicate key value violates unique constraint "messages_room_id_seq_key""#
        }
        try await TestDatabase.with(kind) { database in
            let store = try await storeWithLobby(database)
            try await store.append([message(1, "first")])
            let clash = Message(id: MessageID(2), room: RoomID(1), seq: 1, sender: UserID(1), text: "same seq", clientMessageID: nil, sentAt: .zero)
            await #expect(throws: StoreError.writeFailed(detail: expected)) {
                try await store.append([.fact(.messageAccepted(clash))])
            }
        }
    }
}
