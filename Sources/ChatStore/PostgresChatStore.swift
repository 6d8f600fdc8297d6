import ChatEngine
import Dispatch
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization
import _ConnectionPoolModule

/// The scale-out store: one PostgreSQL database, written with group commit by one committer and
/// read through a pool of connections. Semantics are those of ``SQLiteChatStore``: a write is
/// acknowledged once PostgreSQL committed it (`synchronous_commit` as the server has it), and
/// after a failed write the store refuses writes until ``recover(window:)``.
public final class PostgresChatStore: SharedChatStore {
    /// The database's URL, without its password.
    public let path: String
    /// `host:port`, as messages name the server.
    let server: String
    let client: PostgresClient
    /// How to open a connection of its own (the cluster's listener holds one).
    let connectionConfiguration: PostgresConnection.Configuration
    let logger: Logger
    let groupCommit: GroupCommit
    private let running: Task<Void, Never>

    /// How many seconds opening a connection may take before the server counts as unreachable.
    static let connectTimeoutSeconds: Int64 = 5

    /// Connects to the database `url` names, brings its schema up to date and starts the pool.
    ///
    /// An invalid URL, a server that cannot be reached or refuses the login, a database that
    /// holds other tables than a chat store's, or one with a newer schema is refused with an
    /// error naming the URL (without its password) and the problem, and nothing is changed.
    public init(url: String, logger: Logger = Logger(label: "chat.store.postgres")) async throws(StoreError) {
        let parsed = try PostgresURL(url)
        let path = parsed.redacted
        let server = "\(parsed.host):\(parsed.port)"
        var configuration = PostgresConnection.Configuration(
            host: parsed.host, port: parsed.port, username: parsed.username, password: parsed.password,
            database: parsed.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(Self.connectTimeoutSeconds)
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            do {
                try await PostgresSchema.migrate(connection, path: path, logger: logger)
            } catch {
                try? await connection.close()
                throw error
            }
            try await connection.close()
        } catch let error as StoreError {
            throw error
        } catch {
            throw .cannotOpen(path: path, detail: Self.describe(error, server: server))
        }

        var poolConfiguration = PostgresClient.Configuration(
            host: parsed.host, port: parsed.port, username: parsed.username, password: parsed.password,
            database: parsed.database, tls: .disable)
        poolConfiguration.options.connectTimeout = .seconds(Self.connectTimeoutSeconds)
        // The pool's own log is kept to errors: the store reports what fails through StoreError,
        // and the pool warns about the first lease racing the start of `run()` (harmless: the
        // lease waits for it).
        var poolLogger = logger
        poolLogger.logLevel = max(logger.logLevel, .error)
        let client = PostgresClient(configuration: poolConfiguration, backgroundLogger: poolLogger)
        self.path = path
        self.server = server
        self.client = client
        connectionConfiguration = configuration
        self.logger = logger
        running = Task { await client.run() }
        groupCommit = GroupCommit { writes in
            try Self.waitFor {
                do {
                    try await client.withConnection { connection in
                        do {
                            try await Self.commit(writes, on: connection, logger: logger)
                        } catch {
                            await Self.abandon(connection)
                            throw error
                        }
                    }
                } catch let error as StoreError {
                    throw error
                } catch {
                    throw StoreError.writeFailed(detail: Self.describe(error, server: server))
                }
            }
        }
    }

    deinit {
        running.cancel()
    }

    /// Closes the pool's connections; the store answers nothing afterwards.
    public func close() async {
        running.cancel()
        await running.value
    }

    public func enqueue(_ writes: [StoreWrite], completion: @escaping @Sendable (Result<Void, StoreError>) -> Void) {
        groupCommit.enqueue(writes, completion: completion)
    }

    /// Whether writes are refused after a failure (see ``recover(window:)``).
    public var failure: StoreError? { groupCommit.failure }

    /// Closes a connection whose batch failed (PostgreSQL rolls its transaction back), and returns once
    /// it is closed, so the pool knows before it gets the connection back: a connection the
    /// server dropped is never handed out again, and a broken one is not rolled back over.
    static func abandon(_ connection: PostgresConnection) async {
        try? await connection.close()
        try? await connection.closeFuture.get()
    }

    /// Runs `operation` to its end from the committer's queue, which may block while the
    /// database answers (group commit batches on one thread of its own, never a task's).
    private static func waitFor(_ operation: @escaping @Sendable () async throws -> Void) throws {
        let outcome = Mutex<Result<Void, any Error>>(.success(()))
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await operation()
            } catch {
                outcome.withLock { $0 = .failure(error) }
            }
            done.signal()
        }
        done.wait()
        try outcome.withLock { $0 }.get()
    }

    /// PostgreSQL's own message for an error (without the SQL that caused it), or what went
    /// wrong on the way to `server`.
    static func describe(_ error: any Error, server: String) -> String {
        if let error = error as? StoreError { return error.message }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            switch error.code {
            case .connectionError:
                return "cannot connect to \(server): \(error.underlying.map(describeConnectionFailure) ?? "connection failed")"
            case .serverClosedConnection, .uncleanShutdown:
                return "the connection to \(server) was lost"
            case .poolClosed, .clientClosedConnection:
                return "the store is closed"
            default:
                return "\(error.code)"
            }
        }
        if let error = error as? ConnectionPoolError, error == .connectionCreationCircuitBreakerTripped {
            return "cannot connect to \(server): no connection for the pool's whole waiting time"
        }
        return "\(error)"
    }

    /// The operating system's reason a connection failed ("Connection refused"), not NIO's dump.
    private static func describeConnectionFailure(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError {
            if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty {
                return "the host name does not resolve"
            }
            if let first = error.connectionErrors.first { return describeConnectionFailure(first.error) }
        }
        if let error = error as? IOError {
            return String(cString: strerror(error.errnoCode))
        }
        if error is ChannelError { return "timed out" }
        return "\(error)"
    }

    /// Runs a read, mapping its errors.
    func read<T: Sendable>(_ body: (PostgresClient) async throws -> T) async throws(StoreError) -> T {
        do {
            return try await body(client)
        } catch {
            throw .readFailed(detail: Self.describe(error, server: server))
        }
    }
}
