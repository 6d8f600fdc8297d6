/// The three kinds of room.
public enum RoomKind: String, Hashable, Codable, Sendable, CaseIterable {
    /// Anyone may read, send and subscribe; created explicitly or on first subscribe by name.
    case `public`
    /// Only members may read, send and subscribe; owners and admins manage members.
    case group
    /// Exactly two users; one room per unordered pair, created on first use.
    case `private`
}

/// A member's role in a group room.
public enum Role: String, Hashable, Codable, Comparable, Sendable, CaseIterable {
    /// Created the room or inherited it; changes roles, manages members.
    case owner
    /// Manages members.
    case admin
    /// Reads and sends.
    case member

    private var rank: Int {
        switch self {
        case .owner: 0
        case .admin: 1
        case .member: 2
        }
    }
    /// Owners sort before admins, admins before members.
    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}

/// A room as clients see it.
public struct Room: Hashable, Codable, Sendable {
    /// The room's id.
    public let id: RoomID
    /// Its kind.
    public let kind: RoomKind
    /// Its name: unique among public and group rooms; for a private room, the two usernames.
    public let name: String
    /// Who created it (for a private room, the user who opened it first).
    public let createdBy: UserID
    /// When it was created.
    public let createdAt: Instant
    /// The two users of a private room, lower id first; `nil` for other kinds.
    public let pair: UserPair?
    /// A group room whose last member left; it keeps its name and history but takes no commands.
    public var isArchived: Bool

    /// Creates a room value (the engine does this; stores use it to hand rooms back).
    public init(id: RoomID, kind: RoomKind, name: String, createdBy: UserID, createdAt: Instant, pair: UserPair?, isArchived: Bool = false) {
        self.id = id
        self.kind = kind
        self.name = name
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.pair = pair
        self.isArchived = isArchived
    }
}

/// An unordered pair of distinct users, stored lower id first.
public struct UserPair: Hashable, Codable, Sendable {
    /// The user with the lower id.
    public let first: UserID
    /// The user with the higher id.
    public let second: UserID

    /// The pair of `a` and `b` in either order; `nil` when they are the same user.
    public init?(_ a: UserID, _ b: UserID) {
        guard a != b else { return nil }
        (first, second) = a < b ? (a, b) : (b, a)
    }

    /// Whether `user` is one of the two.
    public func contains(_ user: UserID) -> Bool { user == first || user == second }
}

/// A member of a group or private room, with the role it holds.
public struct Member: Hashable, Codable, Sendable {
    /// The member.
    public let user: UserID
    /// Its role (private rooms: both are `member`).
    public var role: Role
    /// When it joined.
    public let joinedAt: Instant

    /// Creates a member value (the engine does this; stores use it to hand members back).
    public init(user: UserID, role: Role, joinedAt: Instant) {
        self.user = user
        self.role = role
        self.joinedAt = joinedAt
    }
}
