/// An input to the engine: something a user, a session or the clock did.
///
/// The acting user is always the authenticated one the caller names here; the engine never
/// trusts a name that arrives inside a message.
public enum Command: Hashable, Sendable {
    /// Registers a username (1–150 letters, digits or `@.+-_`, unique case-insensitively).
    case register(username: String)
    /// Opens a session (one connection) of a user under an id the caller chose.
    case openSession(SessionID, user: UserID)
    /// Closes a session: it leaves every room it was in; typing stops where it was the user's last.
    case closeSession(SessionID)
    /// Creates a public room; anyone may read, send and subscribe.
    case createPublicRoom(by: UserID, name: String)
    /// Creates a group room owned by `by`, whose other members are the named users.
    case createGroup(by: UserID, name: String, members: [String])
    /// Opens (creating on first use) the private room of `by` and the named user.
    case openPrivateRoom(by: UserID, with: String)
    /// Subscribes a session to a room it may read, so it receives the room's deliveries.
    case subscribe(SessionID, to: RoomAddress)
    /// Ends a session's subscription to a room.
    case unsubscribe(SessionID, from: RoomID)
    /// Adds a user to a group room (owner or admin only).
    case addMember(by: UserID, room: RoomID, username: String)
    /// Removes a user from a group room (owner or admin, or the user themself: leaving).
    case removeMember(by: UserID, room: RoomID, username: String)
    /// Makes a member an `admin` or a plain `member` (owner only).
    case changeRole(by: UserID, room: RoomID, username: String, role: Role)
    /// Sends a message; `via` is the session it came from, which alone is re-acknowledged
    /// when `clientMessageID` marks it as a retry of a stored message.
    case send(by: UserID, room: RoomID, text: String, clientMessageID: String? = nil, via: SessionID? = nil)
    /// Says the user started (`true`) or stopped (`false`) typing in a room.
    case typing(by: UserID, room: RoomID, isTyping: Bool)
    /// Moves `by`'s read marker in a room forward to `seq` (0 … the room's last seq); a marker
    /// never moves back. `via` is the session it came from, which is not told again.
    case markRead(by: UserID, room: RoomID, seq: Int64, via: SessionID? = nil)
    /// Replaces the text of `message` (the author only). `message` is the message as last stored:
    /// the caller reads it from ``ChatEngine/recentMessage(_:in:)`` or, when it is older than the
    /// engine's window, from its store; the engine's own copy wins when it holds one.
    case edit(by: UserID, message: Message, text: String)
    /// Deletes `message` (its author, or a group's owner or an admin), stored as in ``edit(by:message:text:)``.
    case delete(by: UserID, message: Message)
    /// Lets time pass: expires typing indicators whose deadline is at or before the instant.
    case tick
}

/// How a session names the room it subscribes to (the seed's socket paths map onto these).
public enum RoomAddress: Hashable, Sendable {
    /// A room by id.
    case id(RoomID)
    /// The public or group room of that name; a public room is created when the name is free.
    case named(String)
    /// The group room of that name; never creates one.
    case group(named: String)
    /// The private room of the session's user and the named user, created on first use.
    case privateWith(username: String)
}
