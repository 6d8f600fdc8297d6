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
        let name = "chat_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
        try await execute(["CREATE DATABASE \(name)"], on: server)
        guard var components = URLComponents(string: server) else { throw StoreError.invalidURL(server, detail: "it is not a URL") }
        components.path = "/\(name)"
        let result: Result<T, any Error>
        do {
            result = .success(try await body(components.string ?? server))
        } catch {
            result = .failure(error)
        }
        try await execute(["DROP DATABASE IF EXISTS \(name) WITH (FORCE)"], on: server)
        return try result.get()
    }

    /// Runs `statements` of the test's own (never values from outside) on the database `url`
    /// names, one by one, on a connection of their own.
    public static func execute(_ statements: [String], on url: String) async throws {
        try await withConnection(to: url) { connection in
            for statement in statements {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: quiet)
            }
        }
    }

    /// Runs `body` on one connection to the database `url` names.
    public static func withConnection<T>(to url: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let parsed = try PostgresURL(url)
        let connection = try await PostgresConnection.connect(
            configuration: .init(host: parsed.host, port: parsed.port, username: parsed.username, password: parsed.password, database: parsed.database, tls: .disable),
            id: 1, logger: quiet)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// A logger that prints nothing.
    public static let quiet = Logger(label: "chat-tests.postgres") { _ in SwiftLogNoOpLogHandler() }
}
