import ChatEngine
import ChatProtocol

/// Replays fixtures in-process on a ``ChatEngine`` with a virtual clock: what the server would
/// do with the same requests and frames, without sockets, storage, passwords or rate limits.
public struct EngineDriver: FixtureDriver {
    private struct Socket {
        let user: UserID
        var session: SessionID?
        var room: RoomID?
        var frames: [FixtureValue] = []
    }

    private var engine: ChatEngine
    private var now = Instant.zero
    private var sockets: [String: Socket] = [:]
    private var socketNames: [SessionID: String] = [:]
    private var lastSession: Int64 = 0

    public init(fixture: Fixture) {
        engine = ChatEngine(configuration: ChatConfiguration(typingTimeout: fixture.typingTimeout))
    }

    public mutating func perform(_ action: FixtureAction) async throws -> ActionOutcome {
        switch action {
        case .register(let user, let password):
            if let problem = RegisterRequest.passwordProblem(password) { return .error(problem) }
            return outcome(handle(.register(username: user)))
        case .login(let user):
            return engine.user(named: user) == nil ? .error("Invalid username or password") : .ok
        case .createRoom(let user, let name, let kind, let members):
            let actor = try userID(user)
            switch kind {
            case "public": return outcome(handle(.createPublicRoom(by: actor, name: name)))
            case "group": return outcome(handle(.createGroup(by: actor, name: name, members: members)))
            default: return .error(CreateRoomRequest.invalidKindMessage)
            }
        case .addMember(let user, let room, let member):
            let actor = try userID(user)
            return try outcome(room: room, actor: actor) { .addMember(by: actor, room: $0, username: member) }
        case .removeMember(let user, let room, let member):
            let actor = try userID(user)
            return try outcome(room: room, actor: actor) { .removeMember(by: actor, room: $0, username: member) }
        case .setRole(let user, let room, let member, let role):
            let actor = try userID(user)
            guard let role = ChangeRoleRequest(role: role).engineRole else { return .error(Rejection.invalidRole.message) }
            return try outcome(room: room, actor: actor) { .changeRole(by: actor, room: $0, username: member, role: role) }
        case .connect(let user, let name, let path):
            return try connect(user: user, socket: name, path: path)
        case .disconnect(let name):
            if let session = sockets[name]?.session {
                _ = handle(.closeSession(session))
                sockets[name]?.session = nil
            }
            return .ok
        case .send(let name, let payload):
            receive(payload, on: name)
            return .ok
        case .post(let user, let room, let message, let client):
            let actor = try userID(user)
            return try outcome(room: room, actor: actor) { .send(by: actor, room: $0, text: message, clientMessageID: client) }
        case .advance(let milliseconds):
            now = now.advanced(by: Int64(milliseconds))
            _ = handle(.tick)
            return .ok
        case .expectFrames, .expectHistory, .expectOnline:
            return .ok
        }
    }

    public mutating func takeFrames() async throws -> [String: [FixtureValue]] {
        var taken: [String: [FixtureValue]] = [:]
        for name in sockets.keys where !(sockets[name]?.frames.isEmpty ?? true) {
            taken[name] = sockets[name]?.frames
            sockets[name]?.frames = []
        }
        return taken
    }

    public mutating func history(as user: String, room: RoomReference, after: Int?) async throws -> Result<[FixtureValue], FixtureRefusal> {
        let reader = try userID(user)
        guard let id = resolve(room, for: reader) else { return .failure(FixtureRefusal(Rejection.unknownRoom.message)) }
        do throws(Rejection) {
            let page = if let after {
                try engine.messages(in: id, for: reader, after: Int64(after), limit: 200)
            } else {
                try engine.messages(in: id, for: reader, before: nil, limit: 200)
            }
            return .success(page.messages.compactMap { message in
                FixtureValue.parse(WireEncoder.encode(MessageBody(message, username: engine.user(message.sender)?.username ?? "", roomName: engine.room(message.room)?.name ?? "")))
            })
        } catch {
            return .failure(FixtureRefusal(error.message))
        }
    }

    public mutating func online(as user: String, room: RoomReference) async throws -> Result<[String], FixtureRefusal> {
        let reader = try userID(user)
        guard let id = resolve(room, for: reader) else { return .failure(FixtureRefusal(Rejection.unknownRoom.message)) }
        guard engine.mayRead(reader, room: id) else { return .failure(FixtureRefusal(Rejection.notMember.message)) }
        return .success(engine.onlineUsers(in: id).compactMap { engine.user($0)?.username })
    }

    // MARK: - The server's behaviour, in-process

    /// The seed socket paths: `/ws/chat/group/<name>/`, `/ws/chat/<name>/`, `/ws/private/<user>/`.
    private mutating func connect(user: String, socket name: String, path: String) throws -> ActionOutcome {
        let actor = try userID(user)
        let parts = path.split(separator: "?")[0].split(separator: "/").map(String.init)
        let address: RoomAddress? = switch parts.count {
        case 4 where parts[0] == "ws" && parts[1] == "chat" && parts[2] == "group": .group(named: parts[3].removingPercentEncoding)
        case 3 where parts[0] == "ws" && parts[1] == "chat": .named(parts[2].removingPercentEncoding)
        case 3 where parts[0] == "ws" && parts[1] == "private": .privateWith(username: parts[2].removingPercentEncoding)
        default: nil
        }
        guard let address else { throw FixtureFormatError(message: "not a socket path: \(path)") }
        lastSession += 1
        let session = SessionID(lastSession)
        sockets[name] = Socket(user: actor, session: session)
        socketNames[session] = name
        _ = handle(.openSession(session, user: actor))
        switch handle(.subscribe(session, to: address)) {
        case .success(.room(let room)):
            sockets[name]?.room = room.id
            return .ok
        case .failure(let rejection):
            _ = handle(.closeSession(session))
            sockets[name]?.session = nil
            return .refused(rejection.message, close: 4_000 + HTTPStatusCode.of(rejection))
        default:
            return .error("unexpected reply")
        }
    }

    /// A client frame, as the server's socket reader treats it.
    private mutating func receive(_ payload: SocketPayload, on name: String) {
        guard let socket = sockets[name], let session = socket.session, let room = socket.room else { return }
        let bytes: [UInt8]
        switch payload {
        case .json(let frame): bytes = Array(frame.jsonText.utf8)
        case .text(let text): bytes = Array(text.utf8)
        case .textBytes(let raw): bytes = raw
        case .binary: return reject(WireError.binaryFrameMessage, on: name)
        }
        let frame: ClientFrame
        do throws(WireError) {
            frame = try ClientFrame.parse(bytes)
        } catch {
            return reject(error.message, on: name)
        }
        switch frame {
        case .send(let text, let claimed, let client):
            if let claimed, claimed.lowercased() != engine.user(socket.user)?.username.lowercased() {
                return reject(ClientFrame.usernameMismatchMessage, on: name)
            }
            if case .failure(let rejection) = handle(.send(by: socket.user, room: room, text: text, clientMessageID: client, via: session)) {
                reject(rejection.message, on: name)
            }
        case .typing(let isTyping):
            if case .failure(let rejection) = handle(.typing(by: socket.user, room: room, isTyping: isTyping)) {
                reject(rejection.message, on: name)
            }
        }
    }

    private mutating func reject(_ message: String, on name: String) {
        sockets[name]?.frames.append(.object(["type": .string("error"), "error": .string(message)]))
    }

    /// Runs a command and hands its deliveries to the sockets, encoded as the server does.
    private mutating func handle(_ command: Command) -> Result<Reply, Rejection> {
        let outcome = engine.handle(command, at: now)
        for case .delivery(let delivery) in outcome.events {
            guard let (frame, closeCode) = SeedFrames.encode(delivery.payload, in: engine), let value = FixtureValue.parse(frame) else { continue }
            for session in delivery.recipients {
                guard let name = socketNames[session] else { continue }
                sockets[name]?.frames.append(value)
                if let closeCode {
                    sockets[name]?.frames.append(.object(["closed": .number(Double(closeCode))]))
                    _ = engine.handle(.closeSession(session), at: now)
                    sockets[name]?.session = nil
                }
            }
        }
        return outcome.result
    }

    private mutating func outcome(_ result: Result<Reply, Rejection>) -> ActionOutcome {
        if case .failure(let rejection) = result { return .error(rejection.message) }
        return .ok
    }

    private mutating func outcome(room: RoomReference, actor: UserID, _ command: (RoomID) -> Command) throws -> ActionOutcome {
        guard let id = resolve(room, for: actor) else { return .error(Rejection.unknownRoom.message) }
        return outcome(handle(command(id)))
    }

    private func userID(_ name: String) throws -> UserID {
        guard let user = engine.user(named: name) else { throw FixtureFormatError(message: "unknown user \(name) (register it first)") }
        return user.id
    }

    /// A room by name, or the private room of a pair as one of them sees it.
    private func resolve(_ room: RoomReference, for user: UserID) -> RoomID? {
        switch room {
        case .named(let name):
            return engine.room(named: name)?.id
        case .privatePair(let a, let b):
            guard let first = engine.user(named: a)?.id, let second = engine.user(named: b)?.id, let pair = UserPair(first, second) else { return nil }
            return engine.visibleRooms(for: first).first { $0.pair == pair }?.id
        }
    }
}

extension String {
    /// Percent-decoding without Foundation's `NSString` bridge.
    fileprivate var removingPercentEncoding: String {
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
               let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
