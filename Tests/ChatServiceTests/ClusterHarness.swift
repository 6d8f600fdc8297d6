import ChatEngine
import ChatProtocol
import ChatService
import ChatStore
import ChatTestSupport
import Foundation

/// Several services on one PostgreSQL database — nodes of one chat, in one process — each with
/// its own store connection pool and in-memory outbox, and v1 sockets read back as JSON objects.
final class ClusterHarness: Sendable {
    /// One node: a service with its v1 sockets, on a store of its own on the shared database.
    struct Node: Sendable {
        let harness: V1Harness
        let store: PostgresChatStore
        var service: ChatService { harness.service }
        var outbox: MemoryOutbox { harness.outbox }
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
        let store = try await PostgresChatStore(url: url, logger: PostgresTestServer.quiet)
        let harness = try await V1Harness(store: store, clock: clock, logger: PostgresTestServer.quiet) { $0.nodeLease = lease }
        return Node(harness: harness, store: store)
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
        try await node.harness.user(name)
    }

    /// Opens a v1 socket on `node` with `token`.
    func connect(_ token: String, on node: Node) async -> V1Socket? {
        await node.harness.connect(token)
    }

    /// Hands `socket` on `node` a frame and waits for what it caused there.
    func send(_ socket: V1Socket, on node: Node, _ frame: String) async {
        await node.harness.send(socket, frame)
    }

    /// The frames `session` on `node` received, read until `done` holds for all of them (or 15 s
    /// pass: then what arrived), as JSON objects (a close is `["closed": code]`).
    func frames(
        _ session: SessionID, on node: Node, until done: ([[String: Any]]) -> Bool
    ) async -> [[String: Any]] {
        var frames: [[String: Any]] = []
        let deadline = ContinuousClock.now + .seconds(15)
        while true {
            frames += node.harness.frames(session)
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
