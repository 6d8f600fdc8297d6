import ChatEngine
import ChatProtocol
import ChatSimulation
import Foundation

/// A shrunk exploration failure written as a fixture (`fixtures/README.md`): its steps as the
/// clients would take them (v1 sockets, seed sockets, REST), each followed by what the
/// reference model says every socket must receive and every request must answer, and at the end
/// the rooms each user sees and who is online in them.
///
/// The expectations come from the model (a ``Transcript``), never from the engine that failed:
/// replayed with `chat-sim replay` the fixture fails on the buggy engine and passes once the bug
/// is fixed, so it can be committed as a regression test.
///
/// ```swift
/// let written = CounterexampleFixture(counterexample.steps, description: "\(counterexample.violation)")
/// try written.json.write(to: URL(filePath: "failure.json"), atomically: true, encoding: .utf8)
/// ```
public struct CounterexampleFixture: Sendable {
    /// How steps are written beyond the defaults a shrunk failure needs.
    public struct Options: Sendable {
        /// The positions (in the steps) of disconnects written as `drop`: the connection lost
        /// without a close handshake.
        public var drops: Set<Int> = []
        /// Whether a restart kills the server (`{"kill": true}`; sockets end with 1006).
        public var restartsKill = false
        /// The post in flight at a kill, by the position (in the steps) of its restart.
        public var inFlight: [Int: LiveSchedule.InFlightSend] = [:]
        /// Whether every room is named by its id (a fresh server numbers rooms as the model
        /// does), so drivers never look rooms up by name.
        public var roomsByID = false
        /// Whether the fixture ends with every readable room's whole history (`expect_history`
        /// in pages of ``historyPage``): every accepted message stored once, in seq order.
        public var endsWithHistories = false
        /// Whether a retry is answered from the store, as the server does, even after the
        /// engine's recent window forgot its client id (for runs longer than a shrunk failure).
        public var answersRetriesFromStore = false

        /// The defaults a shrunk failure is written with.
        public init() {}

        /// How a live exploration writes `schedule`: its drops as drops, restarts as kills with
        /// their posts in flight, rooms by id, histories at the end, retries answered from the store.
        public static func live(_ schedule: LiveSchedule) -> Options {
            var options = Options()
            options.drops = schedule.drops
            options.inFlight = schedule.inFlight
            options.restartsKill = true
            options.roomsByID = true
            options.endsWithHistories = true
            options.answersRetriesFromStore = true
            return options
        }

        /// The messages one `expect_history` step covers (the server's largest page).
        public static let historyPage = 200
    }

    /// The fixture's description.
    public let description: String
    /// The typing timeout the steps assume.
    public let typingTimeout: Int64
    /// The fixture's steps, as the JSON objects the format has.
    public let steps: [FixtureValue]

    /// The fixture of `steps` as they run on a fresh server whose engine has `configuration`'s
    /// typing timeout.
    public init(_ steps: [ScheduledAction], description: String, configuration: ChatConfiguration = Explorer.defaultConfiguration, options: Options = Options()) {
        self.description = description
        typingTimeout = configuration.typingTimeout
        let transcript = Transcript(of: steps, configuration: configuration, answersRetriesFromStore: options.answersRetriesFromStore)
        var writer = FixtureWriter(transcript: transcript, options: options)
        self.steps = writer.write()
    }

    /// The fixture as JSON: one step per line.
    public var json: String {
        let header: [(String, FixtureValue)] = [
            ("format", .string(Fixture.formatName)), ("version", .number(Double(Fixture.formatVersion))),
            ("description", .string(description)), ("typing_timeout_ms", .number(Double(typingTimeout))),
        ]
        var lines = ["{"] + header.map { "  \(FixtureValue.string($0.0)): \($0.1)," }
        lines.append("  \"steps\": [")
        for (index, step) in steps.enumerated() {
            lines.append("    \(step)" + (index == steps.count - 1 ? "" : ","))
        }
        lines += ["  ]", "}", ""]
        return lines.joined(separator: "\n")
    }

    /// The fixture, read back as `chat-sim replay` reads it.
    public func fixture() throws(FixtureFormatError) -> Fixture {
        try Fixture(json: Data(json.utf8))
    }
}

/// Turns a transcript into fixture steps, keeping track of what a client can name at each step.
private struct FixtureWriter {
    let transcript: Transcript
    let options: CounterexampleFixture.Options
    private var steps: [FixtureValue] = []
    private var clock = Instant.zero
    private var requestIDs: [String: Int] = [:]
    private var epochBound = false
    /// Users who have acted: the drivers look rooms up through their eyes.
    private var signedIn: Set<String> = []
    /// What exists when a step runs, from the facts so far.
    private var roomCount = 0
    private var archived: Set<RoomID> = []
    private var members: [RoomID: [UserID]] = [:]
    private var labels: [String: MessageID] = [:]

    init(transcript: Transcript, options: CounterexampleFixture.Options) {
        self.transcript = transcript
        self.options = options
    }

    mutating func write() -> [FixtureValue] {
        for (position, entry) in transcript.entries.enumerated() where entry.answer != .skipped {
            let gap = entry.step.instant.milliseconds - clock.milliseconds
            clock = entry.step.instant
            var frames: [String: [FixtureValue]] = [:]
            if gap > 0 {
                steps.append(.object(["advance": number(gap)]))
                render(entry.expired, into: &frames, acknowledged: nil)
                expect(&frames)
            } else {
                render(entry.expired, into: &frames, acknowledged: nil)
            }
            perform(entry, at: position, frames: &frames)
            expect(&frames)
            for fact in entry.facts { track(fact) }
        }
        for view in transcript.views {
            let rooms = view.rooms.map { room -> FixtureValue in
                var body: [String: FixtureValue] = [
                    "id": number(room.room.id.rawValue), "name": .string(room.room.name), "kind": .string(room.room.kind.rawValue),
                    "members": .array(room.members.map(FixtureValue.string)), "last_seq": number(room.lastSeq),
                    "read_seq": number(room.readSeq), "unread": number(Int64(room.unread)),
                ]
                if room.room.kind == .group { body["roles"] = .object(room.roles.mapValues(FixtureValue.string)) }
                return .object(body)
            }
            steps.append(.object(["expect_rooms": .object(["as": .string(view.user), "rooms": .array(rooms)])]))
        }
        for online in transcript.online {
            steps.append(.object(["expect_online": .object([
                "as": .string(online.reader), "room": reference(online.room.id, as: online.reader, final: true),
                "users": .array(online.users.map(FixtureValue.string)),
            ])]))
        }
        if options.endsWithHistories { writeHistories() }
        return steps
    }

    /// Every room's history as a reader sees it (REST leaves deleted messages out), in pages.
    private mutating func writeHistories() {
        for online in transcript.online {
            let visible = transcript.messages[Int(online.room.id.rawValue) - 1].filter { !$0.isDeleted }
            var after: Int64 = 0
            var start = 0
            repeat {
                let page = visible[start..<min(start + CounterexampleFixture.Options.historyPage, visible.count)]
                let messages = page.map { message -> FixtureValue in
                    var object: [String: FixtureValue] = [
                        "id": number(message.id.rawValue), "seq": number(message.seq), "username": .string(username(message.sender)),
                        "message": .string(message.text),
                    ]
                    if let id = message.clientMessageID { object["client_msg_id"] = .string(id) }
                    return .object(object)
                }
                steps.append(.object(["expect_history": .object([
                    "as": .string(online.reader), "room": reference(online.room.id, as: online.reader, final: true),
                    "after": number(after), "messages": .array(messages),
                ])]))
                after = page.last?.seq ?? after
                start += page.count
            } while start < visible.count
        }
    }

    // MARK: Actions

    /// The entry's action, its answer, and the frames it causes.
    private mutating func perform(_ entry: Transcript.Entry, at position: Int, frames: inout [String: [FixtureValue]]) {
        let refusal: Rejection? = if case .refused(let rejection) = entry.answer { rejection } else { nil }
        // A v1 request's answer follows the frames it caused; anything else's frames follow it.
        var request: (socket: String, frame: [String: FixtureValue], answer: Transcript.Answer?)?
        switch entry.step.action {
        case .register(let user):
            rest(["register": .string(user)], refusal)
        case .connect(let socket, let user):
            signedIn.insert(user.lowercased())
            rest(["connect": .object(["as": .string(user), "socket": .string(socket), "path": "/ws/v1"])], nil)
            frames[socket, default: []].append(.object(["type": "hello", "user": .object(["username": .string(user)])]))
        case .connectSeed(let socket, let user, let path):
            signedIn.insert(user.lowercased())
            var step: [String: FixtureValue] = ["connect": .object(["as": .string(user), "socket": .string(socket), "path": .string(Self.path(path))])]
            if let refusal {
                step["expect_error"] = .string(refusal.message)
                step["expect_close"] = number(Int64(4_000 + HTTPStatusCode.of(refusal)))
            }
            steps.append(.object(step))
        case .disconnect(let socket):
            steps.append(.object([options.drops.contains(position) ? "drop" : "disconnect": .string(socket)]))
        case .createRoom(let user, let name):
            signedIn.insert(user.lowercased())
            rest(["create_room": .object(["as": .string(user), "name": .string(name)])], refusal)
        case .createGroup(let user, let name, let names):
            signedIn.insert(user.lowercased())
            rest(["create_room": .object(["as": .string(user), "name": .string(name), "kind": "group", "members": .array(names.map(FixtureValue.string))])], refusal)
        case .openPrivateRoom(let user, let other):
            signedIn.insert(user.lowercased())
            rest(["open_private": .object(["as": .string(user), "user": .string(other)])], refusal)
        case .subscribe(let socket, let target, let afterSeq):
            var frame: [String: FixtureValue] = ["type": "subscribe", "room": number(room(target).rawValue)]
            if let afterSeq {
                frame["after_seq"] = number(afterSeq)
                if epochBound { frame["epoch"] = "${epoch}" }
            }
            request = (socket, frame, entry.answer)
        case .unsubscribe(let socket, let target):
            request = (socket, ["type": "unsubscribe", "room": number(room(target).rawValue)], entry.answer)
        case .addMember(let user, let target, let member):
            memberChange("add_member", user, target, ["user": .string(member)], refusal)
        case .removeMember(let user, let target, let member):
            memberChange("remove_member", user, target, ["user": .string(member)], refusal)
        case .changeRole(let user, let target, let member, let role):
            memberChange("set_role", user, target, ["user": .string(member), "role": .string(role.rawValue)], refusal)
        case .send(let user, let via, let target, let text, let clientMessageID, let label):
            if case .sent(let message, _) = entry.answer { labels[label] = message.id }
            if let via, let session = session(named: via), transcript.seedRooms[session] != nil {
                var frame: [String: FixtureValue] = ["message": .string(text)]
                if let clientMessageID { frame["client_msg_id"] = .string(clientMessageID) }
                steps.append(.object(["send": .object(["socket": .string(via), "frame": .object(frame)])]))
                if let refusal { frames[via, default: []].append(.object(["type": "error", "error": .string(refusal.message)])) }
                // A retry answered from the store: the sender gets its stored message again.
                if case .sent(let stored, duplicate: true) = entry.answer,
                   !entry.deliveries.contains(where: { $0.payload.isMessage && $0.recipients.contains(session) }),
                   let room = transcript.seedRooms[session] {
                    frames[via, default: []] += seedFrames(.message(stored), room: room)
                }
            } else if let via {
                var frame: [String: FixtureValue] = ["type": "send", "room": number(room(target).rawValue), "text": .string(text)]
                if let clientMessageID { frame["client_msg_id"] = .string(clientMessageID) }
                request = (via, frame, entry.answer)
            } else {
                signedIn.insert(user.lowercased())
                var body: [String: FixtureValue] = ["as": .string(user), "room": reference(room(target), as: user), "message": .string(text)]
                if let clientMessageID { body["client_msg_id"] = .string(clientMessageID) }
                rest(["post": .object(body)], refusal)
            }
        case .typing(let socket, let target, let isTyping):
            if let session = session(named: socket), transcript.seedRooms[session] != nil {
                steps.append(.object(["send": .object(["socket": .string(socket), "frame": .object(["type": "typing", "typing": .bool(isTyping)])])]))
                if let refusal { frames[socket, default: []].append(.object(["type": "error", "error": .string(refusal.message)])) }
            } else {
                // Typing is answered only when refused.
                request = (socket, ["type": "typing", "room": number(room(target).rawValue), "typing": .bool(isTyping)], refusal.map(Transcript.Answer.refused))
            }
        case .markRead(let user, let via, let target, let seq):
            if let via {
                request = (via, ["type": "read", "room": number(room(target).rawValue), "seq": number(seq)], entry.answer)
            } else {
                signedIn.insert(user.lowercased())
                rest(["mark_read": .object(["as": .string(user), "room": reference(room(target), as: user), "seq": number(seq)])], refusal)
            }
        case .edit(let user, let label, let text):
            signedIn.insert(user.lowercased())
            rest(["edit": .object(["as": .string(user), "message": number(labels[label]?.rawValue ?? 0), "text": .string(text)])], refusal)
        case .delete(let user, let label):
            signedIn.insert(user.lowercased())
            rest(["delete": .object(["as": .string(user), "message": number(labels[label]?.rawValue ?? 0)])], refusal)
        case .tick:
            break
        case .restart:
            var restart: [String: FixtureValue] = options.restartsKill ? ["kill": true] : [:]
            if options.restartsKill, let post = options.inFlight[position] {
                restart["in_flight"] = .object([
                    "as": .string(post.user), "room": reference(room(post.room), as: post.user), "message": .string(post.text),
                    "client_msg_id": .string(post.clientMessageID),
                ])
            }
            steps.append(.object(["restart": .object(restart)]))
            for session in entry.closed {
                frames[name(of: session), default: []].append(.object(["closed": number(options.restartsKill ? 1_006 : 1_001)]))
            }
        }
        if let request {
            send(request.socket, request.frame, answered: request.answer, after: entry.deliveries, into: &frames)
        } else {
            render(entry.deliveries, into: &frames, acknowledged: nil)
        }
    }

    /// A REST step (or any step answered by success or an error), with its expected error.
    private mutating func rest(_ step: [String: FixtureValue], _ refusal: Rejection?) {
        var step = step
        if let refusal { step["expect_error"] = .string(refusal.message) }
        steps.append(.object(step))
    }

    private mutating func memberChange(_ action: String, _ user: String, _ target: RoomTarget, _ fields: [String: FixtureValue], _ refusal: Rejection?) {
        signedIn.insert(user.lowercased())
        var body = fields
        body["as"] = .string(user)
        body["room"] = reference(room(target), as: user)
        rest([action: .object(body)], refusal)
    }

    /// A v1 request with the socket's next id: the frames it causes (the socket gets the `ack` of
    /// its own send instead of the message), then its answer.
    private mutating func send(
        _ socket: String, _ frame: [String: FixtureValue], answered answer: Transcript.Answer?, after deliveries: [Delivery], into frames: inout [String: [FixtureValue]]
    ) {
        let id = requestIDs[socket, default: 0] + 1
        requestIDs[socket] = id
        var frame = frame
        frame["id"] = number(Int64(id))
        steps.append(.object(["send": .object(["socket": .string(socket), "frame": .object(frame)])]))
        render(deliveries, into: &frames, acknowledged: frame["type"] == "send" ? session(named: socket) : nil)
        let reply: FixtureValue? = switch answer {
        case .refused(let rejection)?:
            .object(["type": "error", "id": number(Int64(id)), "code": .string(ErrorCode.of(rejection)), "error": .string(rejection.message)])
        case .sent(let message, let duplicate)?:
            .object(["type": "ack", "id": number(Int64(id)), "message": self.message(message)].merging(duplicate ? ["duplicate": true] : [:]) { $1 })
        case .subscribed(let lastSeq, let readSeq, let recovered, let messages)?:
            .object([
                "type": "subscribed", "id": number(Int64(id)), "room": frame["room"]!, "epoch": "${epoch}", "last_seq": number(lastSeq),
                "read_seq": number(readSeq), "recovered": .bool(recovered), "messages": .array(messages.map(self.message)),
            ])
        case .accepted?: .object(["type": "ok", "id": number(Int64(id))])
        case .skipped?, nil: nil
        }
        if case .subscribed? = answer { epochBound = true }
        if let reply { frames[socket, default: []].append(reply) }
    }

    /// Expects the frames gathered so far, if any.
    private mutating func expect(_ frames: inout [String: [FixtureValue]]) {
        guard !frames.isEmpty else { return }
        steps.append(.object(["expect_frames": .object(frames.mapValues(FixtureValue.array))]))
        frames = [:]
    }

    // MARK: Frames

    /// What each recipient's socket receives for `deliveries`, in its own protocol; the socket
    /// whose v1 send this is gets its `ack` instead of the message.
    private func render(_ deliveries: [Delivery], into frames: inout [String: [FixtureValue]], acknowledged: SessionID?) {
        for delivery in deliveries {
            for session in delivery.recipients {
                let socket = name(of: session)
                if let room = transcript.seedRooms[session] {
                    frames[socket, default: []] += seedFrames(delivery.payload, room: room)
                } else if let frame = v1Frame(delivery.payload), !(session == acknowledged && delivery.payload.isMessage) {
                    frames[socket, default: []].append(frame)
                }
            }
        }
    }

    private func seedFrames(_ payload: Payload, room: RoomID) -> [FixtureValue] {
        switch payload {
        case .message(let message):
            var frame: [String: FixtureValue] = [
                "type": "message", "id": number(message.id.rawValue), "room_id": number(message.room.rawValue),
                "room": .string(roomName(message.room)), "seq": number(message.seq), "username": .string(username(message.sender)),
                "message": .string(message.text),
            ]
            if let id = message.clientMessageID { frame["client_msg_id"] = .string(id) }
            return [.object(frame)]
        case .typing(let room, let user, let isTyping):
            return [.object(["type": "typing", "room": .string(roomName(room)), "username": .string(username(user)), "typing": .bool(isTyping)])]
        case .unsubscribed:
            // The seed protocol closes a removed member's socket.
            return [.object(["type": "error", "error": .string(Rejection.notMember.message)]), .object(["closed": number(Int64(4_000 + HTTPStatusCode.of(.notMember)))])]
        case .presence, .membership, .edited, .deleted, .readMarker, .joined, .left:
            return []
        }
    }

    private func v1Frame(_ payload: Payload) -> FixtureValue? {
        switch payload {
        case .message(let message):
            .object(["type": "message", "room": number(message.room.rawValue), "message": self.message(message)])
        case .typing(let room, let user, let isTyping):
            .object(["type": "typing", "room": number(room.rawValue), "user": userObject(user), "typing": .bool(isTyping)])
        case .presence(let room, let user, let isOnline):
            .object(["type": "presence", "room": number(room.rawValue), "user": userObject(user), "online": .bool(isOnline)])
        case .membership(let room, .added(let user, let role)):
            .object(["type": "membership", "room": number(room.rawValue), "user": userObject(user), "change": "added", "role": .string(role.rawValue)])
        case .membership(let room, .removed(let user)):
            .object(["type": "membership", "room": number(room.rawValue), "user": userObject(user), "change": "removed"])
        case .membership(let room, .roleChanged(let user, let role)):
            .object(["type": "membership", "room": number(room.rawValue), "user": userObject(user), "change": "role", "role": .string(role.rawValue)])
        case .unsubscribed(let room, _), .left(let room):
            .object(["type": "unsubscribed", "room": number(room.rawValue), "reason": "removed"])
        case .edited(let message):
            .object(["type": "edited", "room": number(message.room.rawValue), "message": self.message(message)])
        case .deleted(let message):
            .object(["type": "deleted", "room": number(message.room.rawValue), "message_id": number(message.id.rawValue), "seq": number(message.seq)])
        case .readMarker(let room, let seq):
            .object(["type": "read", "room": number(room.rawValue), "seq": number(seq)])
        case .joined(let room):
            .object(["type": "room", "room": .object(["id": number(room.id.rawValue), "name": .string(room.name), "kind": .string(room.kind.rawValue)])])
        }
    }

    /// A message as v1 frames show it (timestamps left out).
    private func message(_ message: Message) -> FixtureValue {
        var object: [String: FixtureValue] = [
            "id": number(message.id.rawValue), "room": number(message.room.rawValue), "seq": number(message.seq),
            "user": userObject(message.sender), "text": message.isDeleted ? .null : .string(message.text),
        ]
        if let id = message.clientMessageID { object["client_msg_id"] = .string(id) }
        if message.isDeleted { object["deleted"] = true }
        return .object(object)
    }

    private func userObject(_ user: UserID) -> FixtureValue {
        .object(["id": number(user.rawValue), "username": .string(username(user))])
    }

    // MARK: Names

    /// Follows what a fact changed: rooms created and archived, members.
    private mutating func track(_ fact: Fact) {
        switch fact {
        case .roomCreated: roomCount += 1
        case .roomArchived(let room): archived.insert(room)
        case .memberAdded(let room, let member): members[room, default: []].append(member.user)
        case .memberRemoved(let room, let user): members[room]?.removeAll { $0 == user }
        default: break
        }
    }

    /// The room a step names, as it stands when the step runs (the id after the last one when
    /// none has that name).
    private func room(_ target: RoomTarget) -> RoomID {
        let unknown = RoomID(Int64(roomCount + 1))
        let existing = transcript.rooms.prefix(roomCount)
        switch target {
        case .named(let name):
            return existing.first { $0.pair == nil && $0.name == name }?.id ?? unknown
        case .privateRoom(let a, let b):
            let ids = [a, b].compactMap { name in transcript.users.first { $0.username.lowercased() == name.lowercased() }?.id }
            guard ids.count == 2, let pair = UserPair(ids[0], ids[1]) else { return unknown }
            return existing.first { $0.pair == pair }?.id ?? unknown
        }
    }

    /// How a REST step names a room: by name when the drivers can find it by name through the
    /// eyes of a user who acted (public rooms, private rooms, groups with such a member), else
    /// by id.
    private func reference(_ room: RoomID, as user: String, final: Bool = false) -> FixtureValue {
        guard !options.roomsByID, room.rawValue <= Int64(final ? transcript.rooms.count : roomCount) else { return number(room.rawValue) }
        let value = transcript.rooms[Int(room.rawValue) - 1]
        if let pair = value.pair { return .object(["private": .array([.string(username(pair.first)), .string(username(pair.second))])]) }
        let seen = signedIn.union([user.lowercased()])
        let visible = value.kind == .public || (!archived.contains(room) && (members[room] ?? []).contains { seen.contains(username($0).lowercased()) })
        return visible || final ? .string(value.name) : number(room.rawValue)
    }

    private func session(named name: String) -> SessionID? { transcript.sessionNames.first { $0.value == name }?.key }
    private func name(of session: SessionID) -> String { transcript.sessionNames[session] ?? "session \(session.rawValue)" }
    private func username(_ user: UserID) -> String { transcript.users[Int(user.rawValue) - 1].username }
    private func roomName(_ room: RoomID) -> String { transcript.rooms[Int(room.rawValue) - 1].name }
    private func number(_ value: Int64) -> FixtureValue { .number(Double(value)) }

    /// A seed socket's path, its room's name percent-encoded.
    private static func path(_ path: SeedPath) -> String {
        func component(_ name: String) -> String {
            name.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? name
        }
        return switch path {
        case .room(let name): "/ws/chat/\(component(name))/"
        case .group(let name): "/ws/chat/group/\(component(name))/"
        case .privateWith(let user): "/ws/private/\(component(user))/"
        }
    }
}

extension Payload {
    fileprivate var isMessage: Bool {
        if case .message = self { return true }
        return false
    }
}
