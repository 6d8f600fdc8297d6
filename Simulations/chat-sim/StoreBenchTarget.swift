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
            return try await ScratchDatabase.withFresh(on: server, prefix: "chat_bench") { url in
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
                return try result.get()
            }
        }
    }

    /// The server's version, as `SHOW server_version` gives it.
    static func serverVersion(_ server: String) async throws -> String {
        try await ScratchDatabase.withConnection(to: server) { connection in
            for try await version in try await connection.query("SHOW server_version", logger: ScratchDatabase.quiet).decode(String.self) {
                return version
            }
            return "?"
        }
    }
}
