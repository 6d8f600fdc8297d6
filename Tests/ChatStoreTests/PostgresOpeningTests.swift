import ChatEngine
@testable import ChatStore
import ChatTestSupport
import Foundation
import PostgresNIO
import Testing

/// What only PostgreSQL has: URLs, servers, and databases that belong to someone else.
@Suite struct PostgresOpeningTests {
    @Test(arguments: [
        ("postgres:/chat@127.0.0.1/chat", "Invalid PostgreSQL URL postgres:/chat@127.0.0.1/chat: it names no host (postgres://user@host:port/database)"),
        ("postgres://127.0.0.1:5432/chat", "Invalid PostgreSQL URL postgres://127.0.0.1:5432/chat: it names no user (postgres://user@host:port/database)"),
        ("postgres://chat@127.0.0.1:5432", "Invalid PostgreSQL URL postgres://chat@127.0.0.1:5432: it names no database (postgres://user@host:port/database)"),
        ("postgres://chat@127.0.0.1:5432/", "Invalid PostgreSQL URL postgres://chat@127.0.0.1:5432/: it names no database (postgres://user@host:port/database)"),
        ("postgres://chat@127.0.0.1:port/chat", "Invalid PostgreSQL URL postgres://chat@127.0.0.1:port/chat: it is not a URL"),
        ("postgres://chat@127.0.0.1:70000/chat", "Invalid PostgreSQL URL postgres://chat@127.0.0.1:70000/chat: the port 70000 is not between 1 and 65535"),
        ("postgres://chat:secret@127.0.0.1/chat?sslmode=require", "Invalid PostgreSQL URL postgres://chat:***@127.0.0.1/chat?sslmode=require: the parameter sslmode is not supported"),
        ("postgres://chat@127.0.0.1/chat/more", "Invalid PostgreSQL URL postgres://chat@127.0.0.1/chat/more: the database name chat/more contains a slash"),
        ("mysql://chat@127.0.0.1/chat", "Invalid PostgreSQL URL mysql://chat@127.0.0.1/chat: the scheme must be postgres:// or postgresql://"),
    ])
    func aBadURLIsNamedWithoutItsPassword(_ url: String, _ message: String) async {
        await #expect {
            _ = try await PostgresChatStore(url: url)
        } throws: { error in
            (error as? StoreError)?.message == message
        }
    }

    @Test func aGoodURLIsReadWithDefaultsAndShownWithoutItsPassword() throws {
        let url = try PostgresURL("postgresql://chat:p%40ss@db.example:6543/chat_prod")
        #expect((url.host, url.port, url.username, url.password, url.database) == ("db.example", 6543, "chat", "p@ss", "chat_prod"))
        #expect(url.redacted == "postgres://chat@db.example:6543/chat_prod")
        #expect(try PostgresURL("postgres://chat@localhost/chat").port == 5432)
        #expect(PostgresURL.names("postgres://x") && PostgresURL.names("postgresql://x") && !PostgresURL.names("./postgres.sqlite"))
    }

    @Test func anUnreachableServerIsNamed() async throws {
        // Port 1 on loopback: nothing listens there.
        await #expect(throws: StoreError.cannotOpen(path: "postgres://chat@127.0.0.1:1/chat", detail: "cannot connect to 127.0.0.1:1: Connection refused")) {
            _ = try await PostgresChatStore(url: "postgres://chat:secret@127.0.0.1:1/chat")
        }
    }

    @Test(.enabled(if: PostgresTestServer.url != nil, postgresSkipNote))
    func aMissingDatabaseIsNamed() async throws {
        let server = try #require(PostgresTestServer.url)
        var components = try #require(URLComponents(string: server))
        components.path = "/no_such_chat_database"
        let url = try #require(components.string)
        let shown = try PostgresURL(url).redacted
        await #expect(throws: StoreError.cannotOpen(path: shown, detail: #"database "no_such_chat_database" does not exist"#)) {
            _ = try await PostgresChatStore(url: url)
        }
    }

    @Test(.enabled(if: PostgresTestServer.url != nil, postgresSkipNote))
    func aDatabaseOfAnotherApplicationIsRefusedAndUntouched() async throws {
        try await TestDatabase.with(.postgres) { database in
            try await database.execute("CREATE TABLE invoices (id bigint PRIMARY KEY)", "CREATE TABLE customers (id bigint PRIMARY KEY)")
            let shown = try PostgresURL(database.location).redacted
            await #expect(throws: StoreError.foreignSchema(path: shown, detail: "it holds the tables customers, invoices and no chat_schema")) {
                _ = try await database.open()
            }
            #expect(try await tables(of: database) == ["customers", "invoices"])
            #expect(StoreError.foreignSchema(path: "postgres://u@h:1/d", detail: "x").message == "Cannot open database postgres://u@h:1/d: it is not a chat database (x)")
        }
    }

    @Test(.enabled(if: PostgresTestServer.url != nil, postgresSkipNote))
    func aDatabaseFromANewerSchemaIsRefusedAndUntouched() async throws {
        try await TestDatabase.with(.postgres) { database in
            try await database.execute("CREATE TABLE chat_schema (version integer NOT NULL)", "INSERT INTO chat_schema VALUES (99)")
            let shown = try PostgresURL(database.location).redacted
            await #expect(throws: StoreError.newerSchema(path: shown, found: 99, supported: PostgresSchema.latestVersion)) {
                _ = try await database.open()
            }
            #expect(try await tables(of: database) == ["chat_schema"])
        }
    }

    @Test(.enabled(if: PostgresTestServer.url != nil, postgresSkipNote))
    func everyOlderVersionMigratesForwardAndReopeningChangesNothing() async throws {
        for start in 0..<PostgresSchema.latestVersion {
            try await TestDatabase.with(.postgres) { database in
                try await PostgresTestServer.withConnection(to: database.location) { connection in
                    try await PostgresSchema.migrate(connection, path: database.location, to: start, logger: PostgresTestServer.quiet)
                }
                let store = try await database.open()
                let epoch = try await store.epoch()
                _ = try await database.open()
                #expect(try await version(of: database) == PostgresSchema.latestVersion)
                #expect(try await store.epoch() == epoch)
                #expect(try await store.recover(window: 1).isEmpty)
            }
        }
    }

    /// Every history read searches an index; none scans the messages table, whatever its size.
    @Test(.enabled(if: PostgresTestServer.url != nil, postgresSkipNote))
    func historyReadsUseIndexes() async throws {
        try await TestDatabase.with(.postgres) { database in
            _ = try await database.open()
            let queries = [
                PostgresChatStore.query(PostgresChatStore.pageSQL(before: true, includingDeleted: true), Int64(1), Int64(10), Int64(50)),
                PostgresChatStore.query(PostgresChatStore.pageSQL(before: true, includingDeleted: false), Int64(1), Int64(10), Int64(50)),
                PostgresChatStore.query(PostgresChatStore.pageSQL(before: false, includingDeleted: true), Int64(1), Int64(10), Int64(50)),
                PostgresChatStore.query(PostgresChatStore.pageSQL(before: false, includingDeleted: false), Int64(1), Int64(10), Int64(50)),
                PostgresChatStore.query(PostgresChatStore.latestMessagesSQL, [Int64(1), Int64(2)], Int64(100), Int64(50)),
                PostgresChatStore.query(PostgresChatStore.messageByIDSQL, Int64(5)),
                PostgresChatStore.query(PostgresChatStore.messageByClientIDSQL, Int64(1), "c"),
                PostgresChatStore.query(PostgresChatStore.unreadCountsSQL, [Int64(1)], [Int64(10)], Int64(2)),
            ]
            try await PostgresTestServer.withConnection(to: database.location) { connection in
                // An empty table is cheapest to scan: forbid scans to see whether an index can answer.
                try await connection.query("SET enable_seqscan = off", logger: PostgresTestServer.quiet)
                for query in queries {
                    var plan: [String] = []
                    let explained = PostgresQuery(unsafeSQL: "EXPLAIN " + query.sql, binds: query.binds)
                    for try await line in try await connection.query(explained, logger: PostgresTestServer.quiet).decode(String.self) {
                        plan.append(line)
                    }
                    #expect(plan.contains { $0.contains("Index") && $0.contains(" on messages") }, "\(query.sql): \(plan)")
                    #expect(!plan.contains { $0.contains("Seq Scan on messages") }, "\(query.sql): \(plan)")
                }
            }
        }
    }

    /// The server drops the store's connection in the middle of a batch (a restart, a failover):
    /// the batch fails, the store refuses writes, and recovery goes on over a new connection.
    @Test(.enabled(if: PostgresTestServer.url != nil, postgresSkipNote))
    func aConnectionLostInABatchFailsItAndRecoveryReconnects() async throws {
        try await TestDatabase.with(.postgres) { database in
            let store = try await database.open()
            let alice = User(id: UserID(1), username: "alice", registeredAt: .zero)
            let lobby = Room(id: RoomID(1), kind: .public, name: "lobby", createdBy: alice.id, createdAt: .zero, pair: nil)
            try await store.append([.fact(.userRegistered(alice)), .fact(.roomCreated(lobby))])
            try await database.execute(
                """
                CREATE FUNCTION die_on_die() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF NEW.text = 'die' THEN PERFORM pg_terminate_backend(pg_backend_pid()); PERFORM pg_sleep(5); END IF; RETURN NEW; END $$
                """,
                "CREATE TRIGGER die BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION die_on_die()")
            func message(_ id: Int64, _ text: String) -> StoreWrite {
                .fact(.messageAccepted(Message(id: MessageID(id), room: lobby.id, seq: id, sender: alice.id, text: text, clientMessageID: nil, sentAt: .zero)))
            }
            let lost = StoreError.writeFailed(detail: "terminating connection due to administrator command")
            await #expect(throws: lost) { try await store.append([message(1, "die")]) }
            #expect(failure(of: store) == lost)
            await #expect(throws: StoreError.unavailable(lost.message)) { try await store.append([message(1, "refused")]) }
            #expect(try await store.recover(window: 5).count == 2)
            try await store.append([message(1, "back")])
            #expect(try await store.message(MessageID(1))?.text == "back")
        }
    }

    private func tables(of database: TestDatabase) async throws -> [String] {
        try await PostgresTestServer.withConnection(to: database.location) { connection in
            var tables: [String] = []
            let rows = try await connection.query(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name", logger: PostgresTestServer.quiet)
            for try await table in rows.decode(String.self) { tables.append(table) }
            return tables
        }
    }

    private func version(of database: TestDatabase) async throws -> Int {
        try await PostgresTestServer.withConnection(to: database.location) { connection in
            for try await version in try await connection.query("SELECT version FROM chat_schema", logger: PostgresTestServer.quiet).decode(Int32.self) {
                return Int(version)
            }
            return -1
        }
    }
}
