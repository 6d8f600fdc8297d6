import ChatEngine
import ChatProtocol
import ChatService
import ChatStore
import ChatTestSupport
import Foundation
import PostgresNIO
import Testing

/// Three nodes on one PostgreSQL database serve one chat: messages, seqs, retries, membership,
/// typing and presence hold across them as on one node.
@Suite(.enabled(if: PostgresTestServer.url != nil, postgresSkipNote), .serialized)
struct ClusterTests {
    /// Senders on all three nodes at once into one room: every socket, on every node, receives
    /// every message once, with seqs 1, 2, 3 … and no gap, in the same order everywhere.
    @Test func messagesFromEveryNodeReachEverySocketInOneGaplessOrder() async throws {
        try await withCluster(nodes: 3) { cluster in
            let nodes = cluster.nodes
            var users: [(id: UserID, token: String)] = []
            for (index, node) in nodes.enumerated() { users.append(try await cluster.user("user\(index)", on: node)) }
            let lobby = try await nodes[0].service.createRoom(by: users[0].id, CreateRoomRequest(name: "lobby", kind: "public"))
            var sockets: [V1Socket] = []
            for (index, node) in nodes.enumerated() {
                let socket = try #require(await cluster.connect(users[index].token, on: node))
                await cluster.send(socket, on: node, #"{"type":"subscribe","room":\#(lobby.id)}"#)
                sockets.append(socket)
            }
            let perNode = 40
            let senders = users
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, node) in nodes.enumerated() {
                    group.addTask {
                        for number in 1...perNode {
                            _ = try await node.service.send(
                                by: senders[index].id, SendMessageRequest(roomID: lobby.id, message: "n\(index) #\(number)"))
                        }
                    }
                }
                try await group.waitForAll()
            }
            var orders: [[Int]] = []
            for (index, node) in nodes.enumerated() {
                let frames = await cluster.frames(sockets[index].session, on: node) { $0.pushedSeqs.count >= 3 * perNode }
                #expect(frames.pushedSeqs == Array(1...(3 * perNode)), "node \(index)")
                orders.append(frames.ofType("message").compactMap { ($0["message"] as? [String: Any])?["id"] as? Int })
            }
            #expect(orders[0] == orders[1] && orders[1] == orders[2])
            let history = try await nodes[2].service.history(of: RoomID(lobby.id), for: users[2].id, .before(nil, limit: 200))
            #expect(history.map(\.seq) == Array(1...Int64(3 * perNode)))
        }
    }

    /// A retry of a message sent through one node, sent through another with the same client
    /// id, is answered with the stored message: nothing new is stored.
    @Test func aRetryThroughAnotherNodeIsRecognised() async throws {
        try await withCluster(nodes: 2) { cluster in
            let (a, b) = (cluster.nodes[0], cluster.nodes[1])
            let ann = try await cluster.user("ann", on: a)
            let lobby = try await a.service.createRoom(by: ann.id, CreateRoomRequest(name: "lobby", kind: "public"))
            let first = try await a.service.send(by: ann.id, SendMessageRequest(roomID: lobby.id, message: "once", clientMessageID: "c-1"))
            await b.service.catchUp()
            let retry = try await b.service.send(by: ann.id, SendMessageRequest(roomID: lobby.id, message: "once", clientMessageID: "c-1"))
            #expect(first.isNew && !retry.isNew)
            #expect(retry.message.id == first.message.id && retry.message.seq == first.message.seq)
            let next = try await b.service.send(by: ann.id, SendMessageRequest(roomID: lobby.id, message: "twice"))
            #expect(next.message.seq == first.message.seq + 1)
        }
    }

    /// A socket on one node may use, at once, a group another node just made with its user in
    /// it: subscribing, sending with a client id and reading history are not refused by an engine
    /// that has not caught up yet.
    @Test func aSocketUsesARoomAnotherNodeJustCreated() async throws {
        try await withCluster(nodes: 2) { cluster in
            let (a, b) = (cluster.nodes[0], cluster.nodes[1])
            let owner = try await cluster.user("owner", on: a)
            let bea = try await cluster.user("bea", on: b)
            let socket = try #require(await cluster.connect(bea.token, on: b))
            _ = await cluster.frames(socket.session, on: b) { !$0.ofType("hello").isEmpty }
            for round in 1...5 {
                let group = try await a.service.createGroup(by: owner.id, CreateRoomWithMembersRequest(name: "team\(round)", members: ["bea"]))
                await cluster.send(socket, on: b, #"{"type":"subscribe","id":1,"room":\#(group.id)}"#)
                await cluster.send(socket, on: b, #"{"type":"send","id":2,"room":\#(group.id),"text":"hi","client_msg_id":"r\#(round)"}"#)
                await cluster.send(socket, on: b, #"{"type":"history","id":3,"room":\#(group.id)}"#)
                let frames = await cluster.frames(socket.session, on: b) { !$0.ofType("history").isEmpty }
                #expect(frames.ofType("error").isEmpty, "round \(round): \(frames.ofType("error"))")
                #expect(frames.ofType("subscribed").count == 1 && frames.ofType("ack").count == 1)
                #expect((frames.ofType("history").first?["messages"] as? [Any])?.count == 1)
            }
        }
    }

    /// A logout through one node ends the token on every node at once: the sockets opened with it
    /// elsewhere close with 4401, and a node that had the token cached refuses it.
    @Test func aLogoutThroughOneNodeEndsTheTokenEverywhere() async throws {
        try await withCluster(nodes: 2) { cluster in
            let (a, b) = (cluster.nodes[0], cluster.nodes[1])
            let ann = try await cluster.user("ann", on: a)
            let socket = try #require(await cluster.connect(ann.token, on: b))
            #expect(try await b.service.user(forToken: ann.token) == ann.id)
            try await a.service.logout(token: ann.token)
            let frames = await cluster.frames(socket.session, on: b) { $0.contains { $0["closed"] != nil } }
            #expect(frames.last?["closed"] as? Int == 4401)
            #expect(try await b.service.user(forToken: ann.token) == nil)
        }
    }

    /// A member removed through one node: its sockets on every node are unsubscribed and get
    /// nothing more of the room, while the others go on receiving.
    @Test func aRemovedMemberStopsReceivingOnEveryNode() async throws {
        try await withCluster(nodes: 3) { cluster in
            let nodes = cluster.nodes
            let owner = try await cluster.user("owner", on: nodes[0])
            let bea = try await cluster.user("bea", on: nodes[1])
            let group = try await nodes[0].service.createGroup(by: owner.id, CreateRoomWithMembersRequest(name: "team", members: ["bea"]))
            let ownerSocket = try #require(await cluster.connect(owner.token, on: nodes[0]))
            await cluster.send(ownerSocket, on: nodes[0], #"{"type":"subscribe","room":\#(group.id)}"#)
            var beaSockets: [(V1Socket, ClusterHarness.Node)] = []
            for node in nodes[1...] {
                let socket = try #require(await cluster.connect(bea.token, on: node))
                await cluster.send(socket, on: node, #"{"type":"subscribe","room":\#(group.id)}"#)
                beaSockets.append((socket, node))
            }
            _ = try await nodes[2].service.send(by: owner.id, SendMessageRequest(roomID: group.id, message: "before"))
            try await nodes[0].service.removeMember(by: owner.id, room: RoomID(group.id), username: "bea")
            _ = try await nodes[1].service.send(by: owner.id, SendMessageRequest(roomID: group.id, message: "after"))
            for (socket, node) in beaSockets {
                let frames = await cluster.frames(socket.session, on: node) { !$0.ofType("unsubscribed").isEmpty }
                #expect(frames.pushedSeqs == [1])
                #expect(frames.ofType("unsubscribed").first?["reason"] as? String == "removed")
                let later = await cluster.framesDuring(.milliseconds(300), socket.session, on: node)
                #expect(later.ofType("message").isEmpty)
            }
            let ownerFrames = await cluster.frames(ownerSocket.session, on: nodes[0]) { $0.pushedSeqs.count >= 2 }
            #expect(ownerFrames.pushedSeqs == [1, 2])
        }
    }

    /// Presence and typing cross nodes: a subscriber on one node sees a user on another come
    /// online, type, stop typing by sending, and go offline when its socket closes.
    @Test func presenceAndTypingCrossNodes() async throws {
        try await withCluster(nodes: 2) { cluster in
            let (a, b) = (cluster.nodes[0], cluster.nodes[1])
            let ann = try await cluster.user("ann", on: a)
            let bob = try await cluster.user("bob", on: b)
            let lobby = try await a.service.createRoom(by: ann.id, CreateRoomRequest(name: "lobby", kind: "public"))
            let annSocket = try #require(await cluster.connect(ann.token, on: a))
            await cluster.send(annSocket, on: a, #"{"type":"subscribe","room":\#(lobby.id)}"#)
            let bobSocket = try #require(await cluster.connect(bob.token, on: b))
            await cluster.send(bobSocket, on: b, #"{"type":"subscribe","room":\#(lobby.id)}"#)
            let online = await cluster.frames(annSocket.session, on: a) { !$0.ofType("presence").isEmpty }
            #expect(Self.presence(online) == ["bob online"])
            await cluster.send(bobSocket, on: b, #"{"type":"typing","room":\#(lobby.id),"typing":true}"#)
            let typing = await cluster.frames(annSocket.session, on: a) { !$0.ofType("typing").isEmpty }
            #expect(typing.ofType("typing").first?["typing"] as? Bool == true)
            _ = try await b.service.send(by: bob.id, SendMessageRequest(roomID: lobby.id, message: "hi"))
            let sent = await cluster.frames(annSocket.session, on: a) { $0.pushedSeqs == [1] }
            #expect(sent.ofType("typing").map { $0["typing"] as? Bool } == [false])
            #expect(a.service.read { $0.onlineUsers(in: RoomID(lobby.id)) } == [ann.id, bob.id])
            await bobSocket.close()
            let offline = await cluster.frames(annSocket.session, on: a) { !$0.ofType("presence").isEmpty }
            #expect(Self.presence(offline) == ["bob offline"])
            #expect(a.service.read { $0.onlineUsers(in: RoomID(lobby.id)) } == [ann.id])
        }
    }

    /// A node that starts later learns the sessions the others already have: a subscriber there
    /// sees every user online.
    @Test func aNodeThatStartsLaterLearnsWhoIsOnline() async throws {
        try await withCluster(nodes: 1) { cluster in
            let a = cluster.nodes[0]
            let ann = try await cluster.user("ann", on: a)
            let lobby = try await a.service.createRoom(by: ann.id, CreateRoomRequest(name: "lobby", kind: "public"))
            let annSocket = try #require(await cluster.connect(ann.token, on: a))
            await cluster.send(annSocket, on: a, #"{"type":"subscribe","room":\#(lobby.id)}"#)
            let late = try await cluster.startNode()
            defer { Task { await late.service.leaveCluster(releasingLease: true); await late.store.close() } }
            let deadline = ContinuousClock.now + .seconds(10)
            while late.service.read({ $0.onlineUsers(in: RoomID(lobby.id)) }) != [ann.id], ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(late.service.read { $0.onlineUsers(in: RoomID(lobby.id)) } == [ann.id])
        }
    }

    /// A node that stops without a word (as a killed one does) has its users' presence cleared
    /// on the others once its lease lapses; one that leaves in order, at once.
    @Test func aSilentNodesPresenceIsClearedWhenItsLeaseLapses() async throws {
        try await withCluster(nodes: 3, lease: .milliseconds(900)) { cluster in
            let nodes = cluster.nodes
            let ann = try await cluster.user("ann", on: nodes[0])
            let bob = try await cluster.user("bob", on: nodes[1])
            let cat = try await cluster.user("cat", on: nodes[2])
            let lobby = try await nodes[0].service.createRoom(by: ann.id, CreateRoomRequest(name: "lobby", kind: "public"))
            for (user, node) in [(ann, nodes[0]), (bob, nodes[1]), (cat, nodes[2])] {
                let socket = try #require(await cluster.connect(user.token, on: node))
                await cluster.send(socket, on: node, #"{"type":"subscribe","room":\#(lobby.id)}"#)
            }
            let everyone = [ann.id, bob.id, cat.id]
            try await Self.wait { nodes[0].service.read { $0.onlineUsers(in: RoomID(lobby.id)) } == everyone }
            let stopped = ContinuousClock.now
            await nodes[1].service.leaveCluster(releasingLease: false)
            // Each node notices the lapse at its own next renewal: within one lease of the stop,
            // given here four leases for a loaded machine.
            for node in [nodes[0], nodes[2]] {
                try await Self.wait { node.service.read { $0.onlineUsers(in: RoomID(lobby.id)) } == [ann.id, cat.id] }
                let cleared = ContinuousClock.now - stopped
                #expect(cleared < .milliseconds(900) * 4, "cleared after \(cleared)")
                #expect(node.service.read { $0.onlineUsers(in: RoomID(lobby.id)) } == [ann.id, cat.id])
            }
            await nodes[2].service.leaveCluster(releasingLease: true)
            try await Self.wait { nodes[0].service.read { $0.onlineUsers(in: RoomID(lobby.id)) } == [ann.id] }
        }
    }

    /// The log keeps only what a live node may still read: entries every node has applied go;
    /// a node that fell behind the pruned part rebuilds from the rows (its sockets close with
    /// 1011 and come back) instead of missing facts.
    @Test func theLogIsPrunedAndANodeBehindItRebuilds() async throws {
        try await withCluster(nodes: 2, lease: .milliseconds(600)) { cluster in
            let (a, b) = (cluster.nodes[0], cluster.nodes[1])
            let ann = try await cluster.user("ann", on: a)
            let lobby = try await a.service.createRoom(by: ann.id, CreateRoomRequest(name: "lobby", kind: "public"))
            for n in 1...20 { _ = try await a.service.send(by: ann.id, SendMessageRequest(roomID: lobby.id, message: "m\(n)")) }
            await b.service.catchUp()
            try await Self.wait { (try? await Self.logRows(cluster.url)) ?? 99 <= 1 }
            #expect(try await Self.logRows(cluster.url) <= 1)

            // b stops hearing the others and renewing its lease: once it lapsed, a prunes what b
            // never read; b's next read of the log finds it gone and b rebuilds.
            let socket = try #require(await cluster.connect(ann.token, on: b))
            await b.service.leaveCluster(releasingLease: false)
            for n in 21...25 { _ = try await a.service.send(by: ann.id, SendMessageRequest(roomID: lobby.id, message: "m\(n)")) }
            try await Self.wait { (try? await Self.logRows(cluster.url)) ?? 99 <= 1 }
            await b.service.catchUp()
            let frames = await cluster.frames(socket.session, on: b) { $0.contains { $0["closed"] != nil } }
            #expect(frames.last?["closed"] as? Int == 1011)
            try await Self.wait { b.service.isHealthy && b.service.read { $0.lastSeq(of: RoomID(lobby.id)) } == 25 }
            #expect(b.service.read { $0.lastSeq(of: RoomID(lobby.id)) } == 25)
        }
    }

    /// With one node at the head, the whole log is pruned; a node starting then starts at the
    /// floor, so its first read of the log finds nothing missing (it does not rebuild forever).
    @Test func aNodeStartingOnAFullyPrunedLogStartsAtItsFloor() async throws {
        try await withCluster(nodes: 1, lease: .milliseconds(600)) { cluster in
            let a = cluster.nodes[0]
            let ann = try await cluster.user("ann", on: a)
            let lobby = try await a.service.createRoom(by: ann.id, CreateRoomRequest(name: "lobby", kind: "public"))
            for n in 1...5 { _ = try await a.service.send(by: ann.id, SendMessageRequest(roomID: lobby.id, message: "m\(n)")) }
            try await Self.wait { (try? await Self.logRows(cluster.url)) ?? 99 == 0 }
            #expect(try await Self.logRows(cluster.url) == 0)

            let store = try await PostgresChatStore(url: cluster.url, logger: PostgresTestServer.quiet)
            let (_, position) = try await store.recoverWithPosition(window: 10)
            let unread = try await store.log(after: position)
            await store.close()
            #expect(position > 0)
            #expect(unread.isEmpty)
        }
    }

    private static func presence(_ frames: [[String: Any]]) -> [String] {
        frames.ofType("presence").compactMap { frame in
            guard let user = (frame["user"] as? [String: Any])?["username"] as? String, let online = frame["online"] as? Bool else { return nil }
            return "\(user) \(online ? "online" : "offline")"
        }
    }

    /// The entries left in the cluster's fact log.
    private static func logRows(_ url: String) async throws -> Int {
        try await PostgresTestServer.withConnection(to: url) { connection in
            var count = 0
            for try await rows in try await connection.query("SELECT count(*) FROM fact_log", logger: PostgresTestServer.quiet).decode(Int.self) {
                count = rows
            }
            return count
        }
    }

    private static func wait(_ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(15)
        while await !condition(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
    }

    private func withCluster(nodes: Int, lease: Duration = .seconds(6), _ body: (ClusterHarness) async throws -> Void) async throws {
        let server = try #require(PostgresTestServer.url)
        try await PostgresTestServer.withFreshDatabase(on: server) { url in
            let cluster = try await ClusterHarness(url: url, nodes: nodes, lease: lease)
            do {
                try await body(cluster)
            } catch {
                await cluster.stop()
                throw error
            }
            await cluster.stop()
        }
    }
}

private let postgresSkipNote: Comment = "CHAT_TEST_POSTGRES_URL is unset: the cluster tests are skipped"
