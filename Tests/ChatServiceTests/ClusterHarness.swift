import ChatEngine
import ChatProtocol
import ChatService
import ChatStore
import ChatTestSupport
import Foundation

/// Several services on one PostgreSQL database — nodes of one chat, in one process — each with
/// its own store connection pool and in-memory outbox, and v1 sockets read back as JSON objects.
final class ClusterHarness: Sendable {
    /// One node: its service and where its frames go.
    struct Node: Sendable {
        let service: ChatService
        let outbox: MemoryOutbox
        let store: PostgresChatStore
    }

    let url: String
    let clock = ManualClock(at: Instant(milliseconds: 1_000))
    let lease: Duration
    let nodes: [Node]

    init(url: String, nodes count: Int, lease: Duration = .seconds(6)) async throws {
        self.url = url
        self.lease = lease
        var nodes: [Node] = []
        for _ in 0..<count { nodes.append(try await Self.node(url: url, clock: clock, lease: lease)) }
        self.nodes = nodes
    }

    /// Starts one more node on the same database.
    func startNode() async throws -> Node {
        try await Self.node(url: url, clock: clock, lease: lease)
    }

    private static func node(url: String, clock: ManualClock, lease: Duration) async throws -> Node {
        var configuration = ServiceConfiguration()
        configuration.sendRatePerSecond = 1_000_000
        configuration.sendBurst = 1_000_000
        configuration.nodeLease = lease
        let store = try await PostgresChatStore(url: url, logger: PostgresTestServer.quiet)
        let outbox = MemoryOutbox()
        let service = try await ChatService(
            store: store, configuration: configuration, clock: clock, passwords: FastPasswordHasher(), outbox: outbox,
            logger: PostgresTestServer.quiet)
        return Node(service: service, outbox: outbox, store: store)
    }

    /// Stops every node's listener and lease and closes its store.
    func stop() async {
        for node in nodes {
            await node.service.leaveCluster(releasingLease: true)
            await node.store.close()
        }
    }

    /// Registers on `node` and logs in there; returns the user's id and token.
    func user(_ name: String, on node: Node) async throws -> (id: UserID, token: String) {
        let user = try await node.service.register(RegisterRequest(username: name, password: "password1"))
        let login = try await node.service.login(LoginRequest(username: name, password: "password1"), from: "test")
        return (UserID(user.id), login.token)
    }

    /// Opens a v1 socket on `node` with `token`.
    func connect(_ token: String, on node: Node) async -> V1Socket? {
        let session = node.service.newSession()
        node.outbox.open(session)
        return await node.service.openV1Socket(
            V1SocketRequest(target: "/ws/v1?token=\(token)", authorization: nil, origin: nil, host: nil)!, session: session)
    }

    /// Hands `socket` on `node` a frame and waits for what it caused there.
    func send(_ socket: V1Socket, on node: Node, _ frame: String) async {
        if let step = socket.receive(text: Array(frame.utf8)) { await step() }
        await node.service.settle()
    }

    /// The frames `session` on `node` received, read until `done` holds for all of them (or 15 s
    /// pass: then what arrived), as JSON objects.
    func frames(
        _ session: SessionID, on node: Node, until done: ([[String: Any]]) -> Bool
    ) async -> [[String: Any]] {
        var frames: [[String: Any]] = []
        let deadline = ContinuousClock.now + .seconds(15)
        while true {
            frames += node.outbox.take(session).map { frame -> [String: Any] in
                switch frame {
                case .text(let bytes): (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
                case .close(_, let code): ["closed": Int(code)]
                }
            }
            if done(frames) || ContinuousClock.now > deadline { return frames }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Waits `duration` and returns what `session` on `node` received meanwhile.
    func framesDuring(_ duration: Duration, _ session: SessionID, on node: Node) async -> [[String: Any]] {
        try? await Task.sleep(for: duration)
        return await frames(session, on: node) { _ in true }
    }
}

extension [[String: Any]] {
    /// The frames of one type.
    func ofType(_ type: String) -> [[String: Any]] { filter { $0["type"] as? String == type } }

    /// The seqs of the messages pushed, in order.
    var pushedSeqs: [Int] {
        ofType("message").compactMap { ($0["message"] as? [String: Any])?["seq"] as? Int }
    }
}
