/// What the engine keeps about a user.
struct UserState: Sendable {
    var user: User
    /// Open sessions, ascending.
    var sessions: [SessionID] = []
}

/// What the engine keeps about a room.
struct RoomState: Sendable {
    var room: Room
    /// Members of a group or private room, with the order in which they joined.
    var members: [UserID: MemberEntry] = [:]
    var nextJoinOrder = 0
    /// The seq of the newest message (0 before the first).
    var lastSeq: Int64 = 0
    var recent: RecentMessages
    /// Subscribed sessions, ascending; a message's delivery shares this array.
    var subscribers: [SessionID] = []
    /// How many subscribed sessions each online user has.
    var sessionCounts: [UserID: Int] = [:]
}

/// A member and its place in the join order (used to pick the next owner).
struct MemberEntry: Sendable {
    var member: Member
    let joinOrder: Int
}

/// What the engine keeps about an open session.
struct SessionState: Sendable {
    let user: UserID
    /// Rooms the session is subscribed to, ascending.
    var rooms: [RoomID] = []
}

/// A user typing in a room.
struct TypingKey: Hashable, Comparable, Sendable {
    let room: RoomID
    let user: UserID
    static func < (lhs: TypingKey, rhs: TypingKey) -> Bool {
        (lhs.room, lhs.user) < (rhs.room, rhs.user)
    }
}

/// A user's read marker in a room.
struct ReadMarkerKey: Hashable, Sendable {
    let room: RoomID
    let user: UserID
}

/// A sender's own id for a message.
struct ClientMessageKey: Hashable, Sendable {
    let sender: UserID
    let clientMessageID: String
}
