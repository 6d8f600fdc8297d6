import ChatStore
import ChatTestSupport
import Foundation
import GRDB
import PostgresNIO
import Synchronization
import Testing

/// Why the PostgreSQL cases do not run, shown as a skipped test's note.
let postgresSkipNote = Comment(rawValue: PostgresTestServer.skipNote)

/// A kind of store the suite runs against.
enum StoreKind: String, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    /// SQLite, and PostgreSQL when `CHAT_TEST_POSTGRES_URL` names a server.
    static var underTest: [StoreKind] { PostgresTestServer.url == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }
}

/// One test's fresh database: a SQLite file in a new directory, or a new PostgreSQL database
/// that is dropped afterwards.
final class TestDatabase: Sendable {
    let kind: StoreKind
    /// What `chat-server --db` would be given: the file's path or the database's URL.
    let location: String
    private let opened = Mutex<[PostgresChatStore]>([])

    private init(kind: StoreKind, location: String) {
        self.kind = kind
        self.location = location
    }

    /// Opens a store on this database (again, as a restarted server does).
    func open() async throws -> any ChatStore {
        switch kind {
        case .sqlite:
            return try SQLiteChatStore(path: location)
        case .postgres:
            let store = try await PostgresChatStore(url: location, logger: PostgresTestServer.quiet)
            opened.withLock { $0.append(store) }
            return store
        }
    }

    /// Runs `statements` straight on the database, as an operator would.
    func execute(_ statements: String...) async throws {
        switch kind {
        case .sqlite:
            let queue = try DatabaseQueue(path: location)
            try await queue.write { db in
                for statement in statements { try db.execute(sql: statement) }
            }
            try queue.close()
        case .postgres:
            try await PostgresTestServer.execute(statements, on: location)
        }
    }

    /// From now on, inserting a message whose text is "boom" fails with "injected failure".
    func failInsertsOfBoom() async throws {
        switch kind {
        case .sqlite:
            try await execute("CREATE TRIGGER fail BEFORE INSERT ON messages WHEN NEW.text = 'boom' BEGIN SELECT RAISE(ABORT, 'injected failure'); END")
        case .postgres:
            try await execute(
                """
                CREATE FUNCTION fail_on_boom() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF NEW.text = 'boom' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$
                """,
                "CREATE TRIGGER fail BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION fail_on_boom()")
        }
    }

    /// Runs `body` with a new database of `kind`, removed afterwards whatever happens.
    static func with<T>(_ kind: StoreKind, _ body: (TestDatabase) async throws -> T) async throws -> T {
        switch kind {
        case .sqlite:
            return try await withDatabasePath { path in try await body(TestDatabase(kind: kind, location: path)) }
        case .postgres:
            let server = try #require(PostgresTestServer.url, postgresSkipNote)
            return try await PostgresTestServer.withFreshDatabase(on: server) { url in
                let database = TestDatabase(kind: kind, location: url)
                let result: Result<T, any Error>
                do {
                    result = .success(try await body(database))
                } catch {
                    result = .failure(error)
                }
                for store in database.opened.withLock({ $0 }) { await store.close() }
                return try result.get()
            }
        }
    }
}
