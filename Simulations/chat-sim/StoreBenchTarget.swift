import ChatStore
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Where the store benchmark makes each run's fresh database.
enum StoreBenchTarget: Sendable {
    /// A SQLite file in a new folder under `directory`, removed afterwards.
    case sqlite(directory: String, durability: Durability)
    /// A new database on the PostgreSQL server of `server` (whose role may create databases),
    /// dropped afterwards.
    case postgres(server: String)

    /// The store's name in the figures.
    var name: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgres"
        }
    }

    /// Runs `body` with a way to open stores (again, as a restart does) on a new database.
    func withFreshStore<T>(_ body: (@Sendable () async throws -> any ChatStore) async throws -> T) async throws -> T {
        switch self {
        case .sqlite(let directory, let durability):
            let folder = URL(filePath: directory).appending(path: "chat-sim-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appending(path: "bench.sqlite").path
            return try await body { try SQLiteChatStore(path: path, durability: durability) }
        case .postgres(let server):
            let name = "chat_bench_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
            try await Self.administer(server, "CREATE DATABASE \(name)")
            guard var components = URLComponents(string: server) else { throw StoreError.invalidURL(server, detail: "it is not a URL") }
            components.path = "/\(name)"
            let url = components.string ?? server
            let opened = Mutex<[PostgresChatStore]>([])
            let result: Result<T, any Error>
            do {
                result = .success(try await body {
                    let store = try await PostgresChatStore(url: url)
                    opened.withLock { $0.append(store) }
                    return store
                })
            } catch {
                result = .failure(error)
            }
            for store in opened.withLock({ $0 }) { await store.close() }
            try await Self.administer(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            return try result.get()
        }
    }

    /// The server's version, as `SHOW server_version` gives it.
    static func serverVersion(_ server: String) async throws -> String {
        try await withConnection(server) { connection in
            for try await version in try await connection.query("SHOW server_version", logger: quiet).decode(String.self) {
                return version
            }
            return "?"
        }
    }

    /// Runs one statement of the benchmark's own (no values from outside) on `server`'s database.
    private static func administer(_ server: String, _ statement: String) async throws {
        try await withConnection(server) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: quiet)
        }
    }

    private static func withConnection<T>(_ server: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let url = try PostgresURL(server)
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: .init(host: url.host, port: url.port, username: url.username, password: url.password, database: url.database, tls: .disable),
                id: 1, logger: quiet)
        } catch {
            throw StoreError.cannotOpen(path: url.redacted, detail: "\(error)")
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

    private static let quiet = Logger(label: "chat-sim.bench.postgres") { _ in SwiftLogNoOpLogHandler() }
}
