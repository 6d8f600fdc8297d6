/// A registered user. The engine knows no passwords: credentials are the server's business.
public struct User: Hashable, Codable, Sendable {
    /// The user's id.
    public let id: UserID
    /// The name as registered (case preserved); unique case-insensitively.
    public let username: String
    /// When the user registered.
    public let registeredAt: Instant

    /// Creates a user value (the engine does this; stores use it to hand users back).
    public init(id: UserID, username: String, registeredAt: Instant) {
        self.id = id
        self.username = username
        self.registeredAt = registeredAt
    }

    /// Whether `name` is this user's name: usernames are unique regardless of case.
    public func isNamed(_ name: String) -> Bool {
        Validation.usernameKey(name) == Validation.usernameKey(username)
    }
}
