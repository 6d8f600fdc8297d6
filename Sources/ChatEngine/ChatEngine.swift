/// The chat's rules as a pure state machine: commands in, events out.
///
/// The engine owns users, rooms, membership, messages with per-room sequence numbers, typing
/// and presence. It never reads a clock, sleeps, spawns tasks or does I/O: every command
/// carries its instant, and every effect comes back as an ``Event`` for the caller to execute
/// (persist the facts, then write the deliveries). The same commands always produce the same
/// events.
///
/// ```swift
/// var engine = ChatEngine()
/// let outcome = engine.handle(.register(username: "alice"), at: .zero)
/// ```
public struct ChatEngine: Sendable {
    /// The limits this engine enforces.
    public let configuration: ChatConfiguration

    /// Users by id (index = id - 1).
    var users: [UserState] = []
    var userIDsByKey: [String: UserID] = [:]
    /// Rooms by id (index = id - 1).
    var rooms: [RoomState] = []
    /// Public and group rooms by name.
    var roomIDsByName: [String: RoomID] = [:]
    var privateRooms: [UserPair: RoomID] = [:]
    var sessions: [SessionID: SessionState] = [:]
    var lastMessageID: Int64 = 0
    /// Client message ids of the messages still held in the rooms' recent windows.
    var clientMessages: [ClientMessageKey: Message] = [:]
    /// Read markers by (room, user); absent means 0.
    var readMarkers: [ReadMarkerKey: Int64] = [:]
    /// Typing deadlines by (room, user).
    var typing: [TypingKey: Instant] = [:]
    /// The earliest typing deadline, if anyone is typing.
    public internal(set) var nextDeadline: Instant?

    /// Creates an empty engine.
    public init(configuration: ChatConfiguration = ChatConfiguration()) {
        self.configuration = configuration
    }

    /// Handles one command at the instant `now` and returns what it caused.
    ///
    /// Typing indicators whose deadline is at or before `now` expire first (their events
    /// open the list). A rejected command changes nothing and adds no events of its own.
    public mutating func handle(_ command: Command, at now: Instant) -> Outcome {
        var events: [Event] = []
        // A message's fact, its delivery and the end of its sender's typing, in one allocation.
        events.reserveCapacity(3)
        expireTyping(upTo: now, into: &events)
        let expiryCount = events.count
        do throws(Rejection) {
            let reply = try perform(command, at: now, into: &events)
            return Outcome(.success(reply), events: events)
        } catch {
            events.removeSubrange(expiryCount...)
            return Outcome(.failure(error), events: events)
        }
    }

    private mutating func perform(_ command: Command, at now: Instant, into events: inout [Event]) throws(Rejection) -> Reply {
        switch command {
        case .register(let username):
            return try register(username: username, at: now, into: &events)
        case .openSession(let session, let user):
            try openSession(session, user: user)
            return .done
        case .closeSession(let session):
            try closeSession(session, into: &events)
            return .done
        case .createPublicRoom(let user, let name):
            return .room(try createPublicRoom(by: user, name: name, at: now, into: &events))
        case .createGroup(let user, let name, let members):
            return .room(try createGroup(by: user, name: name, members: members, at: now, into: &events))
        case .openPrivateRoom(let user, let other):
            return .room(try openPrivateRoom(by: user, with: other, at: now, into: &events))
        case .subscribe(let session, let address):
            return .room(try subscribe(session, to: address, at: now, into: &events))
        case .unsubscribe(let session, let room):
            try unsubscribe(session, from: room, into: &events)
            return .done
        case .addMember(let user, let room, let username):
            return .room(try addMember(by: user, room: room, username: username, at: now, into: &events))
        case .removeMember(let user, let room, let username):
            try removeMember(by: user, room: room, username: username, into: &events)
            return .done
        case .changeRole(let user, let room, let username, let role):
            return .room(try changeRole(by: user, room: room, username: username, role: role, into: &events))
        case .send(let user, let room, let text, let clientMessageID, let session):
            return try send(by: user, room: room, text: text, clientMessageID: clientMessageID, via: session, at: now, into: &events)
        case .typing(let user, let room, let isTyping):
            try setTyping(user, room: room, isTyping: isTyping, at: now, into: &events)
            return .done
        case .markRead(let user, let room, let seq, let session):
            try markRead(by: user, room: room, seq: seq, via: session, into: &events)
            return .done
        case .edit(let user, let message, let text):
            return .message(try edit(by: user, message: message, text: text, at: now, into: &events))
        case .delete(let user, let message):
            return .message(try delete(by: user, message: message, into: &events))
        case .tick:
            return .done
        }
    }

    /// Applies a fact to the durable state and records it as an event.
    mutating func record(_ fact: Fact, into events: inout [Event]) {
        apply(fact)
        events.append(.fact(fact))
    }

    /// Appends a delivery unless nobody would receive it.
    func deliver(_ payload: Payload, to recipients: [SessionID], into events: inout [Event]) {
        guard !recipients.isEmpty else { return }
        events.append(.delivery(Delivery(to: recipients, payload)))
    }
}
