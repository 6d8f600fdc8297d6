import ChatEngine

/// One thing a virtual user (or the server) does in an exploration, as a client of the server
/// would ask for it: through a v1 socket, a seed socket or REST.
///
/// Users, rooms, sessions and messages are named, never numbered: names are resolved when the
/// step runs, so deleting an earlier step (as shrinking does) renumbers nothing after it. A step
/// whose actor, session or message does not exist when it runs is skipped (shrinking drops it);
/// a room or a target user that does not exist is the server's to refuse.
public enum Action: Hashable, Sendable {
    /// Registers a username.
    case register(String)
    /// `user` opens v1 socket `session` (`/ws/v1`): an engine session subscribed to nothing yet.
    case connect(session: String, user: String)
    /// `user` opens seed socket `session` on `path`: a session subscribed to the path's room at
    /// once, or refused (and closed) when it may not.
    case connectSeed(session: String, user: String, path: SeedPath)
    /// The client closes socket `session`.
    case disconnect(session: String)
    /// Creates a public room (REST).
    case createRoom(user: String, name: String)
    /// Creates a group with members (REST).
    case createGroup(user: String, name: String, members: [String])
    /// Opens, creating on first use, the private room of `user` and `with` (REST).
    case openPrivateRoom(user: String, with: String)
    /// V1 socket `session` subscribes to a room, resuming after `afterSeq` when given (with the
    /// epoch of an earlier answer, once there was one).
    case subscribe(session: String, room: RoomTarget, afterSeq: Int64?)
    /// V1 socket `session` unsubscribes from a room.
    case unsubscribe(session: String, room: RoomTarget)
    /// Adds `member` to a group (REST).
    case addMember(user: String, room: RoomTarget, member: String)
    /// Removes `member` from a group, or leaves it (REST).
    case removeMember(user: String, room: RoomTarget, member: String)
    /// Changes `member`'s role (REST).
    case changeRole(user: String, room: RoomTarget, member: String, role: Role)
    /// `user` sends `text` through socket `via` (v1, or seed to the socket's own room) or over
    /// REST (`via` nil); `label` names the message for the steps that edit or delete it.
    case send(user: String, via: String?, room: RoomTarget, text: String, clientMessageID: String?, label: String)
    /// Socket `session`'s user starts or stops typing (a seed socket: in its own room).
    case typing(session: String, room: RoomTarget, isTyping: Bool)
    /// Moves `user`'s read marker, through v1 socket `via` or over REST.
    case markRead(user: String, via: String?, room: RoomTarget, seq: Int64)
    /// Edits the message labelled `message` (REST).
    case edit(user: String, message: String, text: String)
    /// Deletes the message labelled `message` (REST).
    case delete(user: String, message: String)
    /// Lets time pass (typing expires).
    case tick
    /// The server restarts: every socket is closed, and the engine is rebuilt from what the
    /// store gives back (each room's recent window), as a restarting server does.
    case restart
}

/// How a step names a room.
public enum RoomTarget: Hashable, Sendable, CustomStringConvertible {
    /// The public or group room of that name (no room, when none has it).
    case named(String)
    /// The private room of two users.
    case privateRoom(String, String)

    public var description: String {
        switch self {
        case .named(let name): name.debugDescription
        case .privateRoom(let a, let b): "private(\(a), \(b))"
        }
    }
}

/// The room a seed socket's path names.
public enum SeedPath: Hashable, Sendable, CustomStringConvertible {
    /// `/ws/chat/<name>/`: the public or group room of that name; a free name creates a public room.
    case room(String)
    /// `/ws/chat/group/<name>/`: the group of that name, never created.
    case group(String)
    /// `/ws/private/<username>/`: the private room with that user, created on first use.
    case privateWith(String)

    public var description: String {
        switch self {
        case .room(let name): "room \(name.debugDescription)"
        case .group(let name): "group \(name.debugDescription)"
        case .privateWith(let user): "private with \(user)"
        }
    }
}

/// One step of a run: an action and the instant at which it happens.
public struct ScheduledAction: Hashable, Sendable, CustomStringConvertible {
    /// What happens.
    public var action: Action
    /// When it happens (non-decreasing along a run).
    public var instant: Instant

    /// Creates a step.
    public init(_ action: Action, at instant: Instant) {
        self.action = action
        self.instant = instant
    }

    /// `at N ms: what`, with long texts abbreviated to their first characters and length.
    public var description: String { "at \(instant): \(action)" }
}

extension Action: CustomStringConvertible {
    /// The step in words, users and rooms by name.
    public var description: String {
        switch self {
        case .register(let user): "register \(user.shown)"
        case .connect(let session, let user): "\(user) opens v1 socket \(session)"
        case .connectSeed(let session, let user, let path): "\(user) opens seed socket \(session) on \(path)"
        case .disconnect(let session): "socket \(session) disconnects"
        case .createRoom(let user, let name): "\(user) creates public room \(name.shown)"
        case .createGroup(let user, let name, let members):
            "\(user) creates group \(name.shown)" + (members.isEmpty ? "" : " with \(members.map(\.shown).joined(separator: ", "))")
        case .openPrivateRoom(let user, let other): "\(user) opens the private room with \(other.shown)"
        case .subscribe(let session, let room, let after): "\(session) subscribes to \(room)" + (after.map { " after seq \($0)" } ?? "")
        case .unsubscribe(let session, let room): "\(session) unsubscribes from \(room)"
        case .addMember(let user, let room, let member): "\(user) adds \(member.shown) to \(room)"
        case .removeMember(let user, let room, let member): "\(user) removes \(member.shown) from \(room)"
        case .changeRole(let user, let room, let member, let role): "\(user) makes \(member.shown) \(role) in \(room)"
        case .send(let user, let via, let room, let text, let client, let label):
            "\(user) sends \(label) \(text.shown) to \(room)" + (via.map { " via \($0)" } ?? " over REST") + (client.map { " as \($0.shown)" } ?? "")
        case .typing(let session, let room, let isTyping): "\(session) \(isTyping ? "starts" : "stops") typing in \(room)"
        case .markRead(let user, let via, let room, let seq): "\(user) reads \(room) up to \(seq)" + (via.map { " via \($0)" } ?? " over REST")
        case .edit(let user, let message, let text): "\(user) edits \(message) to \(text.shown)"
        case .delete(let user, let message): "\(user) deletes \(message)"
        case .tick: "time passes"
        case .restart: "the server restarts"
        }
    }
}

extension String {
    /// The string quoted, long ones abbreviated to their first characters and length.
    var shown: String {
        count > 24 ? "\(String(prefix(8)).debugDescription)… (\(count) characters)" : debugDescription
    }
}
