import Foundation

/// A `postgres://user[:password]@host[:port]/database` URL, checked: where the server is, who
/// logs in, and which database holds the chat.
public struct PostgresURL: Hashable, Sendable {
    /// The server's host name or address.
    public let host: String
    /// The server's port (5432 when the URL names none).
    public let port: Int
    /// The role to log in as.
    public let username: String
    /// The role's password, if the URL has one.
    public let password: String?
    /// The database's name.
    public let database: String

    /// Whether `string` asks for PostgreSQL (`postgres:` or `postgresql:`) rather than a SQLite file.
    public static func names(_ string: String) -> Bool {
        string.hasPrefix("postgres:") || string.hasPrefix("postgresql:")
    }

    /// Parses `string`, throwing ``StoreError/invalidURL(_:detail:)`` that names what is wrong.
    public init(_ string: String) throws(StoreError) {
        let shown = Self.redacting(string)
        guard let components = URLComponents(string: string), let scheme = components.scheme else {
            throw .invalidURL(shown, detail: "it is not a URL")
        }
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw .invalidURL(shown, detail: "the scheme must be postgres:// or postgresql://")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalidURL(shown, detail: "it names no host (postgres://user@host:port/database)")
        }
        guard let username = components.user, !username.isEmpty else {
            throw .invalidURL(shown, detail: "it names no user (postgres://user@host:port/database)")
        }
        let port = components.port ?? 5432
        guard (1...65_535).contains(port) else {
            throw .invalidURL(shown, detail: "the port \(port) is not between 1 and 65535")
        }
        let path = components.path
        let database = path.hasPrefix("/") ? String(path.dropFirst()) : path
        guard !database.isEmpty else {
            throw .invalidURL(shown, detail: "it names no database (postgres://user@host:port/database)")
        }
        guard !database.contains("/") else {
            throw .invalidURL(shown, detail: "the database name \(database) contains a slash")
        }
        if let parameter = components.queryItems?.first {
            throw .invalidURL(shown, detail: "the parameter \(parameter.name) is not supported")
        }
        guard components.fragment == nil else {
            throw .invalidURL(shown, detail: "a URL of a database has no fragment")
        }
        self.host = host
        self.port = port
        self.username = username
        self.password = components.password
        self.database = database
    }

    /// The URL as messages show it: without the password.
    public var redacted: String {
        "postgres://\(username)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
    }

    /// `string` with the password of its user part, if any, replaced by `***`.
    static func redacting(_ string: String) -> String {
        guard let schemeEnd = string.range(of: "://") else { return string }
        let rest = string[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@"),
              let colon = rest[..<at].firstIndex(of: ":") else { return string }
        return String(string[..<rest.index(after: colon)]) + "***" + String(string[at...])
    }
}
