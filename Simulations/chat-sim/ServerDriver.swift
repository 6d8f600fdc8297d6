import ChatFixtures
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Replays fixtures against a live chat-server over HTTP and WebSockets, in real time: an
/// `advance` sleeps; frames are awaited until each socket has as many as expected (up to
/// ``patience``), then for a short settle time in which nothing more may arrive.
/// It expects a fresh server (e.g. `--db :memory:`): fixtures register their own users.
///
/// Against several nodes of one cluster (several bases), requests go to the nodes in turn and
/// each socket connects to the next node, so consecutive steps cross nodes: what one node
/// answered must be what every other node then shows.
///
/// A live exploration runs it faster: no sleeping (`realTime` off: its server's typing
/// indicators are not checked) and no settling per step (`settle` zero: a frame that should not
/// have come shows at the socket's next expectation, or at the end), with a ``ServerRestarter``
/// for its `restart` steps.
struct ServerDriver: FixtureDriver {
    /// The nodes' base URLs (one for a single server).
    let bases: [String]
    /// How long to wait for frames to arrive before comparing them.
    let settle: Duration
    /// Whether `advance` sleeps.
    let realTime: Bool
    /// Kills and restarts the server for `restart` steps; nil when this replay did not start it.
    let restarter: ServerRestarter?
    private var tokens: [String: String] = [:]
    private var passwords: [String: String] = [:]
    private var sockets: [String: LiveSocket] = [:]
    /// How many requests and sockets went out: the next goes to the next node.
    private var requestsSent = 0
    private var socketsOpened = 0
    /// The node each socket connected to.
    private var socketNodes: [String: String] = [:]

    init(bases: [String], settle: Duration = .milliseconds(300), realTime: Bool = true, restarter: ServerRestarter? = nil) {
        self.bases = bases.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.settle = settle
        self.realTime = realTime
        self.restarter = restarter
    }

    mutating func perform(_ action: FixtureAction) async throws -> ActionOutcome {
        switch action {
        case .register(let user, let password):
            let reply = try await request("POST", "/api/register", body: ["username": .string(user), "password": .string(password)])
            if reply.status == 201 { passwords[user.lowercased()] = password }
            return outcome(reply)
        case .login(let user):
            let password = passwords[user.lowercased()] ?? "password1"
            let reply = try await request("POST", "/api/login", body: ["username": .string(user), "password": .string(password)])
            if let token = reply.body["token"]?.string { tokens[user.lowercased()] = token }
            return outcome(reply)
        case .createRoom(let user, let name, let kind, let members):
            if kind == "group", !members.isEmpty {
                return try await outcome(request("POST", "/api/rooms/with-members", as: user, body: ["name": .string(name), "members": .array(members.map(FixtureValue.string))]))
            }
            return try await outcome(request("POST", "/api/rooms", as: user, body: ["name": .string(name), "kind": .string(kind)]))
        case .addMember(let user, let room, let member):
            let id = try await roomID(room, as: user)
            return try await outcome(request("POST", "/api/rooms/\(id)/members", as: user, body: ["username": .string(member)]))
        case .removeMember(let user, let room, let member):
            let id = try await roomID(room, as: user)
            return try await outcome(request("DELETE", "/api/rooms/\(id)/members/\(Self.pathComponent(member))", as: user))
        case .setRole(let user, let room, let member, let role):
            let id = try await roomID(room, as: user)
            return try await outcome(request("PATCH", "/api/rooms/\(id)/members/\(Self.pathComponent(member))", as: user, body: ["role": .string(role)]))
        case .openPrivate(let user, let other):
            return try await outcome(request("POST", "/api/rooms/private", as: user, body: ["username": .string(other)]))
        case .connect(let name, let path, let credential):
            let token = switch credential {
            case .user(let user): try await token(user)
            case .token(let token): token
            }
            let base = bases[socketsOpened % bases.count]
            socketsOpened += 1
            socketNodes[name] = base
            let socket = try await LiveSocket.connect(url: base.replacingOccurrences(of: "http", with: "ws", options: .anchored) + path, token: token)
            sockets[name] = socket
            // A refused socket gets its error frame and close at once, before the answer to a ping.
            try await socket.barrier(patience: Self.patience)
            if let code = socket.closeCode, code >= 4_000 {
                let frames = socket.take()
                return .refused(frames.first?["error"]?.string ?? "", close: code)
            }
            return .ok
        case .disconnect(let name):
            await sockets[name]?.close()
            return .ok
        case .drop(let name):
            await sockets[name]?.drop()
            return .ok
        case .send(let name, let payload):
            guard let socket = sockets[name] else { throw FixtureFormatError(message: "no socket \(name)") }
            try await socket.send(payload)
            return .ok
        case .post(let user, let room, let message, let client, let count):
            var body: [String: FixtureValue] = ["room_id": .number(Double(try await roomID(room, as: user))), "message": .string(message)]
            if let client { body["client_msg_id"] = .string(client) }
            for _ in 0..<count {
                let posted = outcome(try await request("POST", "/api/messages", as: user, body: body))
                guard posted == .ok else { return posted }
            }
            return .ok
        case .edit(let user, let message, let text):
            let (id, text) = (try message.integer(field: "message"), try text.string(field: "text"))
            return try await outcome(request("PATCH", "/api/messages/\(id)", as: user, body: ["message": .string(text)]))
        case .delete(let user, let message):
            return try await outcome(request("DELETE", "/api/messages/\(try message.integer(field: "message"))", as: user))
        case .markRead(let user, let room, let seq):
            let (id, seq) = (try await roomID(room, as: user), try seq.integer(field: "seq"))
            return try await outcome(request("POST", "/api/rooms/\(id)/read", as: user, body: ["seq": .number(Double(seq))]))
        case .advance(let milliseconds):
            if realTime { try await Task.sleep(for: .milliseconds(milliseconds)) }
            return .ok
        case .restart(let kill, let post):
            guard let restarter else {
                throw FixtureFormatError(message: "restart replays in-process, or live on a server the replay started (chat-sim explore --spawn-server)")
            }
            let victim = restarter.nextToRestart
            if let post { try await sendUnanswered(post, to: victim) }
            try await restarter.restart(kill: kill)
            // The dead node's sockets ended with it; with several nodes every client reconnects,
            // as the schedule says, so the sockets on the others are cut off as well.
            for (name, socket) in sockets where socketNodes[name] != victim { await socket.cutOff() }
            if let post { try await noteWhetherStored(post) }
            return .ok
        case .expectFrames, .expectHistory, .expectOnline, .expectRooms:
            return .ok
        }
    }

    /// How long frames that are expected may take to arrive (a loaded machine is slow, not wrong).
    static let patience = Duration.seconds(10)

    mutating func takeFrames(expected: [String: Int], ignoring: Set<String>) async throws -> [String: [FixtureValue]] {
        let deadline = ContinuousClock.now + Self.patience
        while ContinuousClock.now < deadline, expected.contains(where: { name, count in (sockets[name]?.count(ignoring: ignoring) ?? 0) < count }) {
            try await Task.sleep(for: .milliseconds(1))
        }
        if settle > .zero { try await Task.sleep(for: settle) }
        var taken: [String: [FixtureValue]] = [:]
        for (name, socket) in sockets {
            let frames = socket.take()
            if !frames.isEmpty { taken[name] = frames }
        }
        return taken
    }

    mutating func history(as user: String, room: RoomReference, after: Int?) async throws -> Result<[FixtureValue], FixtureRefusal> {
        let id = try await roomID(room, as: user)
        let reply = try await request("GET", "/api/rooms/\(id)/messages?limit=200" + (after.map { "&after=\($0)" } ?? ""), as: user)
        guard reply.status == 200, case .array(let messages) = reply.body else { return .failure(FixtureRefusal(reply.body["error"]?.string ?? "HTTP \(reply.status)")) }
        return .success(messages)
    }

    mutating func online(as user: String, room: RoomReference) async throws -> Result<[String], FixtureRefusal> {
        let id = try await roomID(room, as: user)
        let reply = try await request("GET", "/api/rooms/\(id)/online", as: user)
        guard reply.status == 200, case .array(let users) = reply.body else { return .failure(FixtureRefusal(reply.body["error"]?.string ?? "HTTP \(reply.status)")) }
        return .success(users.compactMap { $0["username"]?.string })
    }

    mutating func rooms(as user: String) async throws -> Result<[FixtureValue], FixtureRefusal> {
        let reply = try await request("GET", "/api/rooms", as: user)
        guard reply.status == 200, case .array(let rooms) = reply.body else { return .failure(FixtureRefusal(reply.body["error"]?.string ?? "HTTP \(reply.status)")) }
        return .success(rooms)
    }

    // MARK: - Posts in flight at a kill

    /// Posts sent just before a kill, never answered.
    private(set) var unansweredPosts = 0
    /// Of those, the ones the restarted server had stored (their retry must not store them again).
    private(set) var unansweredPostsStored = 0

    /// Sends `post` without waiting for its answer, then lets 0–3 ms pass, so the kill that
    /// follows finds it anywhere from unsent to committed.
    private mutating func sendUnanswered(_ post: InFlightPost, to base: String) async throws {
        var request = URLRequest(url: URL(string: base + "/api/messages")!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(try await token(post.user))", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let body: [String: FixtureValue] = [
            "room_id": .number(Double(try await roomID(post.room, as: post.user))), "message": .string(post.message),
            "client_msg_id": .string(post.clientMessageID),
        ]
        request.httpBody = Data(FixtureValue.object(body).jsonText.utf8)
        unansweredPosts += 1
        Task { [request] in _ = try? await URLSession.shared.data(for: request) }
        try await Task.sleep(for: .microseconds(Int.random(in: 0...3_000)))
    }

    /// Whether the restarted server has `post` stored (it would be its room's latest message).
    private mutating func noteWhetherStored(_ post: InFlightPost) async throws {
        guard case .success(let messages) = try await history(as: post.user, room: post.room, after: nil) else { return }
        if messages.contains(where: { $0["client_msg_id"]?.string == post.clientMessageID }) { unansweredPostsStored += 1 }
    }

    // MARK: - HTTP

    /// A username as one percent-encoded path component.
    static func pathComponent(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/+"))) ?? name
    }

    private struct Reply {
        let status: Int
        let body: FixtureValue
    }

    private func outcome(_ reply: Reply) -> ActionOutcome {
        (200..<300).contains(reply.status) ? .ok : .error(reply.body["error"]?.string ?? "HTTP \(reply.status)")
    }

    /// A token for `user`, logging in the first time.
    private mutating func token(_ user: String) async throws -> String {
        if let token = tokens[user.lowercased()] { return token }
        _ = try await perform(.login(user: user))
        guard let token = tokens[user.lowercased()] else { throw FixtureFormatError(message: "\(user) cannot log in") }
        return token
    }

    private mutating func request(_ method: String, _ path: String, as user: String? = nil, body: [String: FixtureValue]? = nil) async throws -> Reply {
        let base = bases[requestsSent % bases.count]
        requestsSent += 1
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        if let user { request.setValue("Bearer \(try await token(user))", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = Data(FixtureValue.object(body).jsonText.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Reply(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: FixtureValue.parse(data) ?? .null)
    }

    /// A room's id: by name, looked up as `user` first and then as every other signed-in user
    /// (so that refusals come from the server, not from the lookup); 0 when nobody sees it.
    private mutating func roomID(_ room: RoomReference, as user: String) async throws -> Int {
        if case .id(let id) = room { return id }
        var viewers = [user]
        if case .privatePair(let a, _) = room { viewers.insert(a, at: 0) }
        viewers += tokens.keys.sorted()
        for viewer in viewers {
            let reply = try await request("GET", "/api/rooms", as: viewer)
            guard case .array(let rooms) = reply.body else { continue }
            let match = rooms.first { candidate in
                switch room {
                case .named(let name):
                    return candidate["kind"]?.string != "private" && candidate["name"]?.string == name
                case .privatePair(let a, let b):
                    guard candidate["kind"]?.string == "private", case .array(let members)? = candidate["members"] else { return false }
                    return Set(members.compactMap { $0.string?.lowercased() }) == [a.lowercased(), b.lowercased()]
                case .id:
                    return false
                }
            }
            if let id = match?["id"]?.integer { return id }
        }
        return 0
    }
}
