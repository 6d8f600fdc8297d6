/// How a fixture names a room: a public or group room by name, the private room of two users,
/// or a room id (ids follow creation order on a fresh server; a room nobody sees, such as an
/// archived group, has no other name).
public enum RoomReference: Hashable, Sendable, CustomStringConvertible {
    case named(String)
    case privatePair(String, String)
    case id(Int)

    public var description: String {
        switch self {
        case .named(let name): name
        case .privatePair(let a, let b): "private(\(a), \(b))"
        case .id(let id): "room \(id)"
        }
    }
}

/// What a fixture sends on a socket.
public enum SocketPayload: Hashable, Sendable {
    /// A JSON object, sent as a text frame.
    case json(FixtureValue)
    /// Raw text (for frames that are not JSON).
    case text(String)
    /// Raw bytes in a text frame (for invalid UTF-8).
    case textBytes([UInt8])
    /// A binary frame.
    case binary([UInt8])
}

/// A REST post (`POST /api/messages`) sent just before the server is killed, never answered.
public struct InFlightPost: Hashable, Sendable {
    public var user: String
    public var room: RoomReference
    public var message: String
    public var clientMessageID: String

    public init(user: String, room: RoomReference, message: String, clientMessageID: String) {
        self.user = user
        self.room = room
        self.message = message
        self.clientMessageID = clientMessageID
    }
}

/// Whose token a `connect` presents.
public enum SocketCredential: Hashable, Sendable, CustomStringConvertible {
    /// The user's own token (the user logs in first if they have not).
    case user(String)
    /// This token, as given (e.g. one no user has).
    case token(String)

    public var description: String {
        switch self {
        case .user(let user): user
        case .token(let token): "token \(token.debugDescription)"
        }
    }
}

/// One step of a fixture's timeline. Fields that are a ``FixtureValue`` may hold a variable
/// (`"${name}"`, see ``FixtureVariables``), replaced by its value before a driver sees the action.
public enum FixtureAction: Hashable, Sendable {
    case register(user: String, password: String)
    case login(user: String)
    case createRoom(as: String, name: String, kind: String, members: [String])
    case addMember(as: String, room: RoomReference, user: String)
    case removeMember(as: String, room: RoomReference, user: String)
    case setRole(as: String, room: RoomReference, user: String, role: String)
    /// Opens (creating on first use) the private room of `as` and `user` (REST `POST /api/rooms/private`).
    case openPrivate(as: String, user: String)
    /// A socket to a seed path (`/ws/chat/...`, `/ws/private/...`) or to `/ws/v1`.
    case connect(socket: String, path: String, credential: SocketCredential)
    case disconnect(socket: String)
    /// The socket's connection is lost without a close handshake (the client's network went
    /// away): the server must notice and close its session as it does for a close.
    case drop(socket: String)
    case send(socket: String, payload: SocketPayload)
    /// Posts `message` `repeat` times (REST `POST /api/messages`), stopping at the first refusal.
    case post(as: String, room: RoomReference, message: String, clientMessageID: String?, repeat: Int)
    /// Replaces a message's text (REST `PATCH /api/messages/{id}`): `message` is its id.
    case edit(as: String, message: FixtureValue, text: FixtureValue)
    /// Deletes a message (REST `DELETE /api/messages/{id}`): `message` is its id.
    case delete(as: String, message: FixtureValue)
    /// Moves the user's read marker in a room (REST `POST /api/rooms/{id}/read`).
    case markRead(as: String, room: RoomReference, seq: FixtureValue)
    case advance(milliseconds: Int)
    /// The server restarts on the same store: every socket is closed (1001, as at shutdown)
    /// and the engine is rebuilt from what the store gives back. With `kill`, the server is
    /// killed (SIGKILL) instead of stopped: sockets end without a close frame (1006); `inFlight`
    /// is a post sent just before the kill whose answer is never awaited. In-process, or live
    /// against a server the replay started itself.
    case restart(kill: Bool, inFlight: InFlightPost?)
    /// Frames each listed socket received since the last such step, in order; every socket not
    /// listed must have received nothing. `{"closed": code}` stands for the socket's close.
    case expectFrames([String: [FixtureValue]])
    case expectHistory(as: String, room: RoomReference, after: Int?, messages: [FixtureValue])
    case expectOnline(as: String, room: RoomReference, users: [String])
    /// The rooms `as` sees (REST `GET /api/rooms`), each with its read state.
    case expectRooms(as: String, rooms: [FixtureValue])

    /// The step's name in the fixture format.
    public var name: String {
        switch self {
        case .register: "register"
        case .login: "login"
        case .createRoom: "create_room"
        case .addMember: "add_member"
        case .removeMember: "remove_member"
        case .setRole: "set_role"
        case .openPrivate: "open_private"
        case .connect: "connect"
        case .disconnect: "disconnect"
        case .drop: "drop"
        case .send: "send"
        case .post: "post"
        case .edit: "edit"
        case .delete: "delete"
        case .markRead: "mark_read"
        case .advance: "advance"
        case .restart: "restart"
        case .expectFrames: "expect_frames"
        case .expectHistory: "expect_history"
        case .expectOnline: "expect_online"
        case .expectRooms: "expect_rooms"
        }
    }
}

/// A step and what must come of it.
public struct FixtureStep: Hashable, Sendable {
    public var action: FixtureAction
    /// For actions: the exact error message expected (nil: it must succeed); for a socket
    /// refused at connect, the close code too.
    public var expectedError: String?
    public var expectedClose: Int?

    public init(action: FixtureAction, expectedError: String? = nil, expectedClose: Int? = nil) {
        self.action = action
        self.expectedError = expectedError
        self.expectedClose = expectedClose
    }
}

/// A scripted scenario: virtual users and a timeline of steps with exact expectations.
public struct Fixture: Hashable, Sendable {
    public var description: String
    /// The typing timeout the fixture assumes (the server's must match for live replay).
    public var typingTimeout: Int64
    /// Frame types no `expect_frames` step lists (e.g. `presence`), ignored when comparing.
    public var ignoredFrameTypes: Set<String>
    public var steps: [FixtureStep]

    public init(description: String, typingTimeout: Int64 = 5_000, ignoredFrameTypes: Set<String> = [], steps: [FixtureStep]) {
        self.description = description
        self.typingTimeout = typingTimeout
        self.ignoredFrameTypes = ignoredFrameTypes
        self.steps = steps
    }
}
