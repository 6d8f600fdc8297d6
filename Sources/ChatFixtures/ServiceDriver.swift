import ChatEngine
import ChatProtocol
import ChatService
import ChatStore

/// Replays fixtures in-process through the real ``ChatService`` — the code the server runs,
/// minus HTTP and sockets: an in-memory SQLite store, a ``ManualClock`` that `advance` moves,
/// a fast password hasher, and a ``MemoryOutbox`` standing in for the sockets.
///
/// It acts as the live driver does: a user's first action logs them in (with the password they
/// registered), rooms are found by name in what the acting user (or any logged-in user) sees,
/// sockets are seed sockets or v1 sockets by their path, and a socket refused at connect hands
/// back its error frame's message and close code.
public struct ServiceDriver: FixtureDriver {
    private struct Socket {
        let session: SessionID
        /// Nil once the socket is closed (by the client or by the server).
        var open: (any ChatSocket)?
    }

    private var service: ChatService
    private let clock: ManualClock
    private var outbox: MemoryOutbox
    private var passwords: [String: String] = [:]
    private var tokens: [String: String] = [:]
    private var sockets: [String: Socket] = [:]
    /// Frames received and not yet taken, by socket name.
    private var received: [String: [FixtureValue]] = [:]

    /// A fresh service for `fixture`: empty store, the fixture's typing timeout, unlimited send
    /// rate, then whatever `adjusting` changes (a test planting a bug in a debug build's engine).
    public init(fixture: Fixture, adjusting: (inout ServiceConfiguration) -> Void = { _ in }) async throws {
        var configuration = ServiceConfiguration()
        configuration.engine.typingTimeout = fixture.typingTimeout
        configuration.sendRatePerSecond = 1_000_000
        configuration.sendBurst = 1_000_000
        adjusting(&configuration)
        clock = ManualClock(at: Instant(milliseconds: 1_800_000_000_000))
        outbox = MemoryOutbox()
        service = try await ChatService(
            store: try SQLiteChatStore(path: ":memory:"), configuration: configuration, clock: clock,
            passwords: FastPasswordHasher(), outbox: outbox
        )
    }

    public mutating func perform(_ action: FixtureAction) async throws -> ActionOutcome {
        let outcome = try await run(action)
        await service.settle()
        await collectFrames()
        return outcome
    }

    /// Everything is in the outbox once the service has settled: nothing to wait for.
    public mutating func takeFrames(expected: [String: Int], ignoring: Set<String>) async throws -> [String: [FixtureValue]] {
        await service.settle()
        await collectFrames()
        defer { received = [:] }
        return received.filter { !$0.value.isEmpty }
    }

    public mutating func history(as user: String, room: RoomReference, after: Int?) async throws -> Result<[FixtureValue], FixtureRefusal> {
        let reader = try await userID(user)
        let id = try await roomID(room, as: user)
        let page: ChatService.HistoryPage = after.map { .after(Int64($0), limit: 200) } ?? .before(nil, limit: 200)
        return try await refusal {
            try await service.history(of: id, for: reader, page).compactMap { FixtureValue.parse(WireEncoder.encode($0)) }
        }
    }

    public mutating func online(as user: String, room: RoomReference) async throws -> Result<[String], FixtureRefusal> {
        let reader = try await userID(user)
        let id = try await roomID(room, as: user)
        return try await refusal { try service.online(in: id, for: reader).map(\.username) }
    }

    public mutating func rooms(as user: String) async throws -> Result<[FixtureValue], FixtureRefusal> {
        let reader = try await userID(user)
        return try await refusal { try await service.rooms(visibleTo: reader).compactMap { FixtureValue.parse(WireEncoder.encode($0)) } }
    }

    // MARK: - Actions

    private mutating func run(_ action: FixtureAction) async throws -> ActionOutcome {
        switch action {
        case .register(let user, let password):
            let outcome = try await outcome { _ = try await service.register(RegisterRequest(username: user, password: password)) }
            if outcome == .ok { passwords[user.lowercased()] = password }
            return outcome
        case .login(let user):
            return await login(user)
        case .createRoom(let user, let name, let kind, let members):
            let actor = try await userID(user)
            if kind == "group", !members.isEmpty {
                return try await outcome { _ = try await service.createGroup(by: actor, CreateRoomWithMembersRequest(name: name, members: members)) }
            }
            return try await outcome { _ = try await service.createRoom(by: actor, CreateRoomRequest(name: name, kind: kind)) }
        case .addMember(let user, let room, let member):
            let (actor, id) = (try await userID(user), try await roomID(room, as: user))
            return try await outcome { _ = try await service.addMember(by: actor, room: id, AddMemberRequest(username: member)) }
        case .removeMember(let user, let room, let member):
            let (actor, id) = (try await userID(user), try await roomID(room, as: user))
            return try await outcome { try await service.removeMember(by: actor, room: id, username: member) }
        case .setRole(let user, let room, let member, let role):
            let (actor, id) = (try await userID(user), try await roomID(room, as: user))
            return try await outcome { _ = try await service.changeRole(by: actor, room: id, username: member, ChangeRoleRequest(role: role)) }
        case .openPrivate(let user, let other):
            let actor = try await userID(user)
            return try await outcome { _ = try await service.openPrivateRoom(by: actor, AddMemberRequest(username: other)) }
        case .connect(let name, let path, let credential):
            return try await connect(socket: name, path: path, credential: credential)
        case .disconnect(let name), .drop(let name):
            // A lost connection ends the session as a close does: the transport reports both alike.
            if let socket = sockets[name]?.open {
                sockets[name]?.open = nil
                outbox.close(socket.session)
                await socket.close()
            }
            return .ok
        case .send(let name, let payload):
            guard let socket = sockets[name] else { throw FixtureFormatError(message: "no socket \(name)") }
            guard let open = socket.open else { return .ok }
            let pending: ChatSocketStep? = switch payload {
            case .json(let frame): open.receive(text: Array(frame.jsonText.utf8))
            case .text(let text): open.receive(text: Array(text.utf8))
            case .textBytes(let bytes): try receiveText(bytes, on: open)
            case .binary: receiveBinary(on: open)
            }
            await pending?()
            return .ok
        case .post(let user, let room, let message, let client, let count):
            let (actor, id) = (try await userID(user), try await roomID(room, as: user))
            let request = SendMessageRequest(roomID: id.rawValue, message: message, clientMessageID: client)
            return try await outcome {
                for _ in 0..<count { _ = try await service.send(by: actor, request) }
            }
        case .edit(let user, let message, let text):
            let (actor, id, text) = (try await userID(user), MessageID(Int64(try message.integer(field: "message"))), try text.string(field: "text"))
            return try await outcome { _ = try await service.editMessage(id, text: text, by: actor) }
        case .delete(let user, let message):
            let (actor, id) = (try await userID(user), MessageID(Int64(try message.integer(field: "message"))))
            return try await outcome { _ = try await service.deleteMessage(id, by: actor) }
        case .markRead(let user, let room, let seq):
            let (actor, id, seq) = (try await userID(user), try await roomID(room, as: user), Int64(try seq.integer(field: "seq")))
            return try await outcome { try await service.markRead(id, seq: seq, by: actor) }
        case .advance(let milliseconds):
            clock.advance(byMilliseconds: Int64(milliseconds))
            return try await outcome { try await service.tick() }
        case .restart(let kill, let post):
            // In-process, the post in flight is stored just before the kill: its retry must
            // then be answered with it, not stored again.
            if let post {
                let (actor, id) = (try await userID(post.user), try await roomID(post.room, as: post.user))
                _ = try? await service.send(by: actor, SendMessageRequest(roomID: id.rawValue, message: post.message, clientMessageID: post.clientMessageID))
            }
            try await restart(closingWith: kill ? 1_006 : 1_001)
            return .ok
        case .expectFrames, .expectHistory, .expectOnline, .expectRooms:
            return .ok
        }
    }

    /// A server restarting on the same store: every open socket is closed (`code`: 1001 as at
    /// shutdown, 1006 when the server was killed; their sessions die with the old engine) and a
    /// new service rebuilds its engine from the store, as `chat-server` does when it starts.
    /// Tokens are in the store: they still work.
    private mutating func restart(closingWith code: Int) async throws {
        await service.settle()
        await collectFrames()
        for name in sockets.keys.sorted() where sockets[name]?.open != nil {
            sockets[name]?.open = nil
            received[name, default: []].append(.object(["closed": .number(Double(code))]))
        }
        outbox = MemoryOutbox()
        service = try await ChatService(
            store: service.store, configuration: service.configuration, clock: clock, passwords: FastPasswordHasher(), outbox: outbox
        )
    }

    /// Raw text bytes: a transport refuses invalid UTF-8 before the service sees it.
    private func receiveText(_ bytes: [UInt8], on socket: any ChatSocket) throws -> ChatSocketStep? {
        guard UTF8Validation.isValid(bytes) else {
            throw FixtureFormatError(message: "text_bytes that are not UTF-8 fail the connection (1007) before the chat sees them")
        }
        return socket.receive(text: bytes)
    }

    private func receiveBinary(on socket: any ChatSocket) -> ChatSocketStep? {
        socket.receiveBinary()
        return nil
    }

    /// Opens a seed socket or a v1 socket, by its path, with the credential's token.
    private mutating func connect(socket name: String, path: String, credential: SocketCredential) async throws -> ActionOutcome {
        let authorization = switch credential {
        case .user(let user): "Bearer \(try await token(user))"
        case .token(let token): "Bearer \(token)"
        }
        let service = service
        let open: (SessionID) async -> (any ChatSocket)?
        if let request = V1SocketRequest(target: path, authorization: authorization, origin: nil, host: nil) {
            open = { await service.openV1Socket(request, session: $0) }
        } else if let request = SeedSocketRequest(target: path, authorization: authorization, origin: nil, host: nil) {
            open = { await service.openSeedSocket(request, session: $0) }
        } else {
            throw FixtureFormatError(message: "not a socket path: \(path)")
        }
        let session = service.newSession()
        outbox.open(session)
        guard let socket = await open(session) else {
            // A refused socket gets its error frame and close at once.
            let frames = outbox.take(session)
            outbox.close(session)
            sockets[name] = Socket(session: session, open: nil)
            guard case .close(let text?, let code)? = frames.last else { return .error("refused without a close frame") }
            return .refused(FixtureValue.parse(text)?["error"]?.string ?? "", close: Int(code))
        }
        sockets[name] = Socket(session: session, open: socket)
        return .ok
    }

    /// Moves what the outbox holds into each socket's received frames; a socket the server
    /// closed shows `{"closed": code}` and its engine session ends, as when a server's
    /// connection ends.
    private mutating func collectFrames() async {
        for name in sockets.keys.sorted() {
            // A closed socket receives nothing more (and a restarted service reuses session ids).
            guard let socket = sockets[name], socket.open != nil else { continue }
            for frame in outbox.take(socket.session) {
                switch frame {
                case .text(let bytes):
                    if let value = FixtureValue.parse(bytes) { received[name, default: []].append(value) }
                case .close(let bytes, let code):
                    if let bytes, let value = FixtureValue.parse(bytes) { received[name, default: []].append(value) }
                    received[name, default: []].append(.object(["closed": .number(Double(code))]))
                    if let open = socket.open {
                        sockets[name]?.open = nil
                        outbox.close(socket.session)
                        await open.close()
                    }
                }
            }
        }
    }

    // MARK: - Users and rooms

    private mutating func login(_ user: String) async -> ActionOutcome {
        let password = passwords[user.lowercased()] ?? "password1"
        do throws(ServiceError) {
            tokens[user.lowercased()] = try await service.login(LoginRequest(username: user, password: password), from: "in-process").token
            return .ok
        } catch {
            return .error(error.message)
        }
    }

    private mutating func token(_ user: String) async throws -> String {
        if let token = tokens[user.lowercased()] { return token }
        _ = await login(user)
        guard let token = tokens[user.lowercased()] else { throw FixtureFormatError(message: "\(user) cannot log in") }
        return token
    }

    private mutating func userID(_ user: String) async throws -> UserID {
        guard let id = try await service.user(forToken: token(user)) else { throw FixtureFormatError(message: "\(user)'s token does not work") }
        return id
    }

    /// A room by name (not private), or the private room of a pair, as the acting user, the
    /// pair's first user or any logged-in user sees it; 0 when nobody sees it.
    private mutating func roomID(_ room: RoomReference, as user: String) async throws -> RoomID {
        if case .id(let id) = room { return RoomID(Int64(id)) }
        var viewers = [user]
        if case .privatePair(let a, _) = room { viewers.insert(a, at: 0) }
        viewers += tokens.keys.sorted()
        for viewer in viewers {
            let match = try await service.rooms(visibleTo: try await userID(viewer)).first { candidate in
                switch room {
                case .named(let name): candidate.kind != "private" && candidate.name == name
                case .privatePair(let a, let b): candidate.kind == "private" && Set(candidate.members.map { $0.lowercased() }) == [a.lowercased(), b.lowercased()]
                case .id: false
                }
            }
            if let match { return RoomID(match.id) }
        }
        return RoomID(0)
    }

    // MARK: - Answers

    /// Success, or the refusal's message; anything but a service error is the driver's own failure.
    private func outcome(_ body: () async throws -> Void) async throws -> ActionOutcome {
        do {
            try await body()
            return .ok
        } catch let error as ServiceError {
            return .error(error.message)
        }
    }

    private func refusal<T>(_ body: () async throws -> T) async throws -> Result<T, FixtureRefusal> {
        do {
            return .success(try await body())
        } catch let error as ServiceError {
            return .failure(FixtureRefusal(error.message))
        }
    }
}
