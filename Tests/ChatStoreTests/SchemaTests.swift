import ChatEngine
@testable import ChatStore
import GRDB
import Testing

@Suite struct SchemaTests {
    @Test func everyOlderVersionMigratesForwardKeepingItsData() async throws {
        for start in 0..<Schema.latestVersion {
            try await withDatabasePath { path in
                let queue = try DatabaseQueue(path: path)
                try await queue.writeWithoutTransaction { db in try Schema.migrate(db, to: start) }
                if start >= 1 {
                    try await queue.write { db in
                        try db.execute(sql: "INSERT INTO users (id, username, username_key, registered_at) VALUES (1, 'Alice', 'alice', 0)")
                    }
                }
                try queue.close()
                let store = try SQLiteChatStore(path: path)
                let version = try await store.database.read { db in try Schema.version(db) }
                #expect(version == Schema.latestVersion)
                let users = try await store.recover(window: 1)
                #expect(users == (start >= 1 ? [.userRegistered(User(id: UserID(1), username: "Alice", registeredAt: .zero))] : []))
            }
        }
    }

    @Test func reopeningTheLatestVersionChangesNothing() async throws {
        try await withDatabasePath { path in
            _ = try SQLiteChatStore(path: path)
            let store = try SQLiteChatStore(path: path)
            #expect(try await store.database.read { db in try Schema.version(db) } == Schema.latestVersion)
        }
    }

    /// Every history read searches an index; none scans the messages table.
    @Test func historyReadsUseIndexes() async throws {
        let store = try SQLiteChatStore(path: ":memory:")
        var pages: [(String, StatementArguments)] = []
        for before in [true, false] {
            for includingDeleted in [true, false] {
                pages.append((SQLiteChatStore.pageSQL(before: before, includingDeleted: includingDeleted), [1, 10, 50]))
            }
        }
        let others: [(String, StatementArguments)] = [
            (SQLiteChatStore.unreadCountSQL, [1, 10, 2]),
            (SQLiteChatStore.messageByIDSQL, [5]),
            ("SELECT \(SQLiteChatStore.messageColumns) FROM messages WHERE sender_id = ? AND client_msg_id = ?", [1, "c"]),
            SQLiteChatStore.latestMessagesQuery(rooms: [RoomID(1), RoomID(2)], before: MessageID(100), limit: 50),
            SQLiteChatStore.latestMessagesQuery(rooms: (1...40).map { RoomID(Int64($0)) }, before: nil, limit: 50),
        ]
        for (sql, arguments) in pages + others {
            let plan = try await store.database.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
            }
            #expect(plan.contains { $0.hasPrefix("SEARCH messages USING") }, "\(sql): \(plan)")
            #expect(!plan.contains { $0.hasPrefix("SCAN messages") }, "\(sql): \(plan)")
        }
    }
}
