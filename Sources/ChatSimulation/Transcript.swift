import ChatEngine

/// The reference model's account of a list of steps, in the terms of the server's API: what
/// each step should answer and deliver, then the state every user should see. A fixture writer
/// turns it into expectations (`ChatFixtures.CounterexampleFixture`), so a shrunk failure
/// replays through the server and checks what the model says, not what a buggy engine did.
public struct Transcript: Sendable {
    /// One step and what the server should make of it.
    public struct Entry: Sendable {
        /// The step.
        public let step: ScheduledAction
        /// What the client that acted should be answered.
        public let answer: Answer
        /// Typing indicators that expired when the clock reached the step, before it ran.
        public let expired: [Delivery]
        /// The step's own deliveries, in order.
        public let deliveries: [Delivery]
        /// The facts the step stores, in order.
        public let facts: [Fact]
        /// Sockets the server closed, every one at a restart (seed sockets removed from their
        /// room are closed after their `unsubscribed`, which says so).
        public let closed: [SessionID]
    }

    /// What a step's client should be answered.
    public enum Answer: Hashable, Sendable {
        /// The step names a user, a session or a message that does not exist: it does nothing.
        case skipped
        /// Accepted.
        case accepted
        /// Refused, with the engine's rejection (its message is the client's error).
        case refused(Rejection)
        /// A send accepted: the message stored, or the one stored before for a retry.
        case sent(Message, duplicate: Bool)
        /// A v1 subscription: the room's last seq, the user's read marker, and the messages the
        /// answer carries (all the missed ones when `recovered`, else the latest page).
        case subscribed(lastSeq: Int64, readSeq: Int64, recovered: Bool, messages: [Message])
    }

    /// A room as `GET /api/rooms` shows it to one user.
    public struct RoomView: Hashable, Sendable {
        /// The room.
        public let room: Room
        /// Member usernames in join order.
        public let members: [String]
        /// A group's roles by username (`owner`, `admin`, `member`); empty for other rooms.
        public let roles: [String: String]
        /// The room's last seq.
        public let lastSeq: Int64
        /// The user's read marker.
        public let readSeq: Int64
        /// Messages after the read marker that others sent and did not delete.
        public let unread: Int
    }

    /// Who is online in a room, and a user who may ask.
    public struct OnlineView: Hashable, Sendable {
        /// The room.
        public let room: Room
        /// A user who may read it.
        public let reader: String
        /// Usernames by user id.
        public let users: [String]
    }

    /// The steps, each with what should come of it; when the last step left typing
    /// indicators running, ticks at their deadlines follow, so every expiry is in the transcript.
    public internal(set) var entries: [Entry] = []
    /// Every user, by id.
    public internal(set) var users: [User] = []
    /// Every room, by id, as it is at the end.
    public internal(set) var rooms: [Room] = []
    /// The name of every session the steps opened.
    public internal(set) var sessionNames: [SessionID: String] = [:]
    /// Which sessions are seed sockets, and the room of each.
    public internal(set) var seedRooms: [SessionID: RoomID] = [:]
    /// The rooms each user sees at the end, by username in id order.
    public internal(set) var views: [(user: String, rooms: [RoomView])] = []
    /// Who is online in each room at the end.
    public internal(set) var online: [OnlineView] = []
    /// Each room's stored messages at the end (deleted ones too), by room id.
    public internal(set) var messages: [[Message]] = []

    /// What the reference model makes of `steps` on a fresh server with `configuration`;
    /// with `answersRetriesFromStore`, a send with a client id already stored is answered with
    /// the stored message even after the engine's recent window forgot it, as the server does.
    /// Typing runs out as the clock passes its deadline, as a fixture's `advance` makes it.
    public init(of steps: [ScheduledAction], configuration: ChatConfiguration = Explorer.defaultConfiguration, answersRetriesFromStore: Bool = false) {
        var runner = ActionRunner(configuration: configuration, engine: nil)
        runner.answersRetriesFromStore = answersRetriesFromStore
        runner.ticksAtDeadlines = true
        for (index, step) in steps.enumerated() {
            let report = runner.run(step, number: index + 1, isLast: false)
            entries.append(report.entry)
        }
        entries += runner.runOutTyping(after: steps.last?.instant ?? .zero).map(\.entry)
        let model = runner.model
        users = model.users
        rooms = model.rooms.map(\.room)
        messages = model.rooms.map { model.storedMessages(in: $0.room.id) }
        sessionNames = runner.names.sessionNames
        seedRooms = runner.names.seedRooms
        views = model.users.map { user in
            (user.username, model.visibleRooms(for: user.id).map { room in
                let readSeq = model.readSeq(of: user.id, in: room.id)
                let unread = model.storedMessages(in: room.id).count { $0.seq > readSeq && $0.sender != user.id && !$0.isDeleted }
                let members = model.members(of: room.id).map { (name: model.users[model.index($0.user)].username, role: $0.role.rawValue) }
                return RoomView(
                    room: room, members: members.map(\.name),
                    roles: room.kind == .group ? Dictionary(members.map { ($0.name, $0.role) }, uniquingKeysWith: { first, _ in first }) : [:],
                    lastSeq: model.lastSeq(of: room.id), readSeq: readSeq, unread: unread
                )
            })
        }
        online = model.rooms.compactMap { record in
            guard !record.room.isArchived else { return nil }
            let reader = record.room.kind == .public ? model.users.first?.id : record.members.first?.user
            guard let reader else { return nil }
            return OnlineView(
                room: record.room, reader: model.users[model.index(reader)].username,
                users: model.onlineUsers(in: record.room.id).map { model.users[model.index($0)].username }
            )
        }
    }
}
