import Foundation
import Logging
import PostgresNIO

/// A database of its own on a PostgreSQL server, for a test, a benchmark run or an exploration:
/// created under a random name, dropped afterwards with any connections still open to it. The
/// server's role must be allowed to create databases.
public enum ScratchDatabase {
    /// Runs `body` with the URL of a new, empty database on the server `server` names (its URL
    /// with any database), and drops that database afterwards whatever `body` does. `prefix`
    /// starts the database's name (`chat_test`, `chat_bench`).
    public static func withFresh<T>(on server: String, prefix: String, _ body: (String) async throws -> T) async throws -> T {
        let name = "\(prefix)_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
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

    /// Runs `statements` of the caller's own (never values from outside: they are not bound) on
    /// the database `url` names, one by one, on a connection of their own.
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
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: .init(host: parsed.host, port: parsed.port, username: parsed.username, password: parsed.password, database: parsed.database, tls: .disable),
                id: 1, logger: quiet)
        } catch {
            throw StoreError.cannotOpen(path: parsed.redacted, detail: PostgresChatStore.describe(error, server: "\(parsed.host):\(parsed.port)"))
        }
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
    public static let quiet = Logger(label: "chat.scratch-database") { _ in SwiftLogNoOpLogHandler() }
}
