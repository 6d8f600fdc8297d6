/// Why the store could not do what was asked. ``message`` names the path (or the PostgreSQL URL,
/// without its password) and the problem.
public enum StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file exists but is not a SQLite database.
    case notADatabase(path: String)
    /// A `postgres://` URL that cannot name a database.
    case invalidURL(String, detail: String)
    /// The PostgreSQL database holds tables, but not a chat store's.
    case foreignSchema(path: String, detail: String)
    /// The file is a SQLite database but cannot be read.
    case corrupt(path: String, detail: String)
    /// The database was written by a newer version of this program.
    case newerSchema(path: String, found: Int, supported: Int)
    /// The database could not be opened or created (missing or read-only directory, permissions …).
    case cannotOpen(path: String, detail: String)
    /// A write failed; nothing of its batch was committed.
    case writeFailed(detail: String)
    /// An earlier write failed; writes are refused until the caller recovers.
    case unavailable(String)
    /// A read failed.
    case readFailed(detail: String)

    /// The human message.
    public var message: String {
        switch self {
        case .notADatabase(let path):
            "Cannot open database \(path): the file is not a SQLite database"
        case .invalidURL(let url, let detail):
            "Invalid PostgreSQL URL \(url): \(detail)"
        case .foreignSchema(let path, let detail):
            "Cannot open database \(path): it is not a chat database (\(detail))"
        case .corrupt(let path, let detail):
            "Cannot open database \(path): the file is corrupt (\(detail))"
        case .newerSchema(let path, let found, let supported):
            "Cannot open database \(path): it has schema version \(found), written by a newer chat-server; this one supports up to \(supported)"
        case .cannotOpen(let path, let detail):
            "Cannot open database \(path): \(detail)"
        case .writeFailed(let detail):
            "Storage write failed: \(detail)"
        case .unavailable(let detail):
            "Storage is unavailable after a failed write: \(detail)"
        case .readFailed(let detail):
            "Storage read failed: \(detail)"
        }
    }

    public var description: String { message }
}
