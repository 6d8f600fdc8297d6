/// `POST /api/register`: `{"username","password"}`.
public struct RegisterRequest: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The fewest characters (Swift `Character`s) a password may have.
    public static let minimumPasswordLength = 8
    /// The most UTF-8 bytes a password may have: bcrypt ignores everything after 72 bytes.
    public static let maximumPasswordBytes = 72

    /// Why `password` is not acceptable as a new password, or `nil` when it is: under 8
    /// characters, "Password must be at least 8 characters"; over 72 UTF-8 bytes (bcrypt's
    /// limit), "Password must be at most 72 bytes"; holding U+0000, "Password must not contain
    /// U+0000 (NUL)" (bcrypt reads a password up to its first NUL, so eight NULs would be the
    /// empty password).
    public static func passwordProblem(_ password: String) -> String? {
        if password.count < minimumPasswordLength { return "Password must be at least \(minimumPasswordLength) characters" }
        if password.utf8.count > maximumPasswordBytes { return "Password must be at most \(maximumPasswordBytes) bytes" }
        if password.utf8.contains(0) { return "Password must not contain U+0000 (NUL)" }
        return nil
    }

    /// The wanted username.
    public var username: String
    /// The password, in clear (hashed by the server, never stored or logged).
    public var password: String

    /// Creates a request.
    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// Names the user and hides the password, so a logged request leaks nothing.
    public var description: String { "RegisterRequest(username: \(username), password: <redacted>)" }
}

/// `POST /api/login`: `{"username","password"}`.
public struct LoginRequest: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The username, matched case-insensitively.
    public var username: String
    /// The password, in clear.
    public var password: String

    /// Creates a request.
    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// Names the user and hides the password, so a logged request leaks nothing.
    public var description: String { "LoginRequest(username: \(username), password: <redacted>)" }
}

/// A user as clients see it: `{"id","username"}`. Also the body of `201` from `POST /api/register`
/// and the elements of `GET /api/users`.
public struct UserBody: Codable, Hashable, Sendable, WireEncodable {
    /// The user's id.
    public var id: Int64
    /// The username as registered.
    public var username: String

    /// Creates a body.
    public init(id: Int64, username: String) {
        self.id = id
        self.username = username
    }

    /// Writes `{"id":…,"username":…}`.
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", id)
        writer.field("username", username)
        writer.endObject()
    }

    /// A size hint.
    public var estimatedJSONSize: Int { 32 + username.utf8.count }
}

/// `200` from `POST /api/login`: `{"token","user":{"id","username"}}`.
public struct LoginResponse: Codable, Hashable, Sendable, WireEncodable, CustomStringConvertible {
    /// The bearer token for `Authorization: Bearer <token>` and `?token=`.
    public var token: String
    /// The user who logged in.
    public var user: UserBody

    /// Creates a body.
    public init(token: String, user: UserBody) {
        self.token = token
        self.user = user
    }

    /// Writes `{"token":…,"user":{…}}`.
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("token", token)
        writer.key("user")
        user.write(to: &writer)
        writer.endObject()
    }

    /// A size hint.
    public var estimatedJSONSize: Int { 32 + token.utf8.count + user.estimatedJSONSize }

    /// Names the user and hides the token, so a logged response leaks nothing.
    public var description: String { "LoginResponse(token: <redacted>, user: \(user))" }
}
