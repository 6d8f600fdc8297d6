import ChatEngine
import Foundation
import GRDB

/// The embedded default store: one SQLite file in WAL mode (or `:memory:`), written with
/// group commit and read concurrently.
public final class SQLiteChatStore: ChatStore {
    /// The database path, or `:memory:`.
    public let path: String
    let database: any DatabaseWriter
    let groupCommit: GroupCommit

    /// Opens (creating when absent) the database at `path`, or an in-memory one for `:memory:`,
    /// and brings its schema up to date.
    ///
    /// A file that is not a SQLite database, a corrupt one, or one from a newer schema version
    /// is refused with an error naming the path and the problem, and left untouched.
    public init(path: String, durability: Durability = .normal) throws(StoreError) {
        self.path = path
        var configuration = Configuration()
        configuration.label = "chat"
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(durability == .full ? "FULL" : "NORMAL")")
        }
        let database: any DatabaseWriter
        if path == ":memory:" {
            database = try Self.opening(path) { try DatabaseQueue(configuration: configuration) }
        } else {
            try DatabaseFileCheck.check(path: path, supportedVersion: Schema.latestVersion)
            database = try Self.opening(path) { try DatabasePool(path: path, configuration: configuration) }
        }
        do {
            try database.barrierWriteWithoutTransaction { db in try Schema.migrate(db) }
        } catch {
            throw .cannotOpen(path: path, detail: Self.describe(error))
        }
        self.database = database
        groupCommit = GroupCommit { writes in
            do {
                try database.write { db in try SQLiteChatStore.perform(writes, in: db) }
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError.writeFailed(detail: SQLiteChatStore.describe(error))
            }
        }
    }

    public func enqueue(_ writes: [StoreWrite], completion: @escaping @Sendable (Result<Void, StoreError>) -> Void) {
        groupCommit.enqueue(writes, completion: completion)
    }

    /// Whether writes are refused after a failure (see ``recover(window:)``).
    public var failure: StoreError? { groupCommit.failure }

    private static func opening<T>(_ path: String, _ open: () throws -> T) throws(StoreError) -> T {
        do {
            return try open()
        } catch {
            throw .cannotOpen(path: path, detail: describe(error))
        }
    }

    /// SQLite's own message for a database error, without the SQL that caused it.
    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "\(error.resultCode)"
        }
        if let error = error as? StoreError { return error.message }
        return "\(error)"
    }

    /// Runs a read, mapping its errors.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await database.read(body)
        } catch {
            throw .readFailed(detail: Self.describe(error))
        }
    }
}
