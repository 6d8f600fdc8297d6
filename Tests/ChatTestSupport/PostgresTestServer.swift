import ChatStore
import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL server tests may use, from `CHAT_TEST_POSTGRES_URL`
/// (`postgres://user@host:port/db` of a role allowed to create databases;
/// `scripts/postgres-start.sh` prints one), or nil: then tests run against SQLite only.
public enum PostgresTestServer {
    /// The server's URL, if the environment names one.
    public static let url = ProcessInfo.processInfo.environment["CHAT_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// Why PostgreSQL cases do not run, for a skipped test's note.
    public static let skipNote = "CHAT_TEST_POSTGRES_URL is unset: the PostgreSQL cases are skipped (SQLite only)"

    /// Runs `body` with the URL of a new, empty database on `server`, dropped afterwards (with
    /// whatever connections are still open to it) whatever `body` does.
    public static func withFreshDatabase<T>(on server: String, _ body: (String) async throws -> T) async throws -> T {
        try await ScratchDatabase.withFresh(on: server, prefix: "chat_test", body)
    }

    /// Runs `statements` of the test's own (never values from outside) on the database `url`
    /// names, one by one, on a connection of their own.
    public static func execute(_ statements: [String], on url: String) async throws {
        try await ScratchDatabase.execute(statements, on: url)
    }

    /// Runs `body` on one connection to the database `url` names.
    public static func withConnection<T>(to url: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await ScratchDatabase.withConnection(to: url, body)
    }

    /// A logger that prints nothing.
    public static let quiet = Logger(label: "chat-tests.postgres") { _ in SwiftLogNoOpLogHandler() }
}
