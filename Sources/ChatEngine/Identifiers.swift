/// A registered user's identifier, assigned by the engine in registration order (1, 2, 3 …).
public struct UserID: Hashable, Codable, Comparable, Sendable, CustomStringConvertible {
    /// The raw integer, as stored and shown to clients.
    public let rawValue: Int64
    /// Wraps a raw integer.
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public static func < (lhs: UserID, rhs: UserID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "user \(rawValue)" }
}

/// A room's identifier, assigned by the engine in creation order (1, 2, 3 …).
public struct RoomID: Hashable, Codable, Comparable, Sendable, CustomStringConvertible {
    /// The raw integer, as stored and shown to clients.
    public let rawValue: Int64
    /// Wraps a raw integer.
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public static func < (lhs: RoomID, rhs: RoomID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "room \(rawValue)" }
}

/// A session (one connection of a user), chosen by the caller when it opens the session.
///
/// The caller picks session ids (a server numbers its sockets) so that the ids, and therefore
/// the order of deliveries, do not depend on engine history that is not persisted.
public struct SessionID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The raw integer.
    public let rawValue: Int64
    /// Wraps a raw integer.
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public static func < (lhs: SessionID, rhs: SessionID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "session \(rawValue)" }
}

/// A message's global identifier, assigned by the engine in acceptance order across all rooms.
public struct MessageID: Hashable, Codable, Comparable, Sendable, CustomStringConvertible {
    /// The raw integer, as stored and shown to clients.
    public let rawValue: Int64
    /// Wraps a raw integer.
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public static func < (lhs: MessageID, rhs: MessageID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "message \(rawValue)" }
}
