import ChatTestSupport
import Foundation
import Testing

/// Three real `chat-server` processes on one PostgreSQL database, a v1 socket on each: one chat
/// across them, through a `kill -9` of one node and its restart.
@Suite(.enabled(if: PostgresTestServer.url != nil, "CHAT_TEST_POSTGRES_URL is unset: the 3-node test is skipped"), .serialized)
struct ClusterEndToEndTests {
    /// Reads frames from `socket` until `done` holds for what arrived (or 15 s of silence).
    private func frames(_ socket: TestSocket, until done: ([[String: Any]]) -> Bool) async -> [[String: Any]] {
        var frames: [[String: Any]] = []
        while !done(frames) {
            guard let frame = await socket.nextJSON(timeout: .seconds(15)) else { break }
            frames.append(frame)
        }
        return frames
    }

    private func seqs(_ frames: [[String: Any]]) -> [Int] {
        frames.filter { $0["type"] as? String == "message" }.compactMap { ($0["message"] as? [String: Any])?["seq"] as? Int }
    }

    private func presence(_ frames: [[String: Any]]) -> [String] {
        frames.filter { $0["type"] as? String == "presence" }.compactMap { frame in
            guard let user = (frame["user"] as? [String: Any])?["username"] as? String, let online = frame["online"] as? Bool else { return nil }
            return "\(user) \(online ? "online" : "offline")"
        }
    }

    /// Opens a v1 socket on `node` and subscribes it to `room`; returns it once subscribed.
    private func subscriber(on node: ServerProcess, token: String, room: Int) async throws -> TestSocket {
        let socket = try await TestSocket.connect(url: "ws://127.0.0.1:\(node.port)/ws/v1?token=\(token)")
        try await socket.send(#"{"type":"subscribe","id":1,"room":\#(room)}"#)
        let answered = await frames(socket) { $0.contains { $0["type"] as? String == "subscribed" } }
        #expect(answered.contains { $0["type"] as? String == "subscribed" })
        return socket
    }

    @Test func threeNodesServeOneChatThroughAKill9() async throws {
        let server = try #require(PostgresTestServer.url)
        try await PostgresTestServer.withFreshDatabase(on: server) { url in
            let arguments = ["--db", url, "--node-lease", "1000"]
            var nodes: [ServerProcess] = []
            for _ in 0..<3 { nodes.append(try await ServerProcess.start(arguments: arguments)) }
            defer { for node in nodes where node.process.isRunning { _ = node.stop(signal: SIGTERM) } }
            let names = ["ann", "ben", "cat"]
            var tokens: [String] = []
            for (index, name) in names.enumerated() { tokens.append(try await nodes[index].user(name)) }
            let lobby = try await nodes[1].request("POST", "/api/rooms", token: tokens[1], json: #"{"name":"lobby"}"#)
            #expect(lobby.status == 201)
            let room = try #require(lobby["id"] as? Int)

            // One subscriber per node; each sees the later ones come online.
            var sockets: [TestSocket] = []
            for index in 0..<3 { sockets.append(try await subscriber(on: nodes[index], token: tokens[index], room: room)) }
            let seen = await frames(sockets[0]) { presence($0).count >= 2 }
            #expect(presence(seen) == ["ben online", "cat online"])

            // REST senders on every node at once: one gapless order, everywhere.
            let perNode = 30
            let sent = nodes
            let senders = tokens
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<3 {
                    group.addTask {
                        for n in 1...perNode {
                            let reply = try await sent[index].request(
                                "POST", "/api/messages", token: senders[index], json: #"{"room_id":\#(room),"message":"\#(names[index]) \#(n)"}"#)
                            #expect(reply.status == 201)
                        }
                    }
                }
                try await group.waitForAll()
            }
            for (index, socket) in sockets.enumerated() {
                let received = await frames(socket) { seqs($0).count >= 3 * perNode }
                #expect(seqs(received) == Array(1...(3 * perNode)), "the socket on node \(index)")
            }

            // kill -9 the third node: its user goes offline on the others within a lease (1 s; 4 s
            // allowed for a loaded machine), and the two others go on serving one chat.
            let killed = ContinuousClock.now
            nodes[2].kill()
            let offline = await frames(sockets[0]) { presence($0).contains("cat offline") }
            #expect(presence(offline) == ["cat offline"])
            #expect(ContinuousClock.now - killed < .seconds(4), "presence cleared after \(ContinuousClock.now - killed)")
            let after = try await nodes[1].request("POST", "/api/messages", token: tokens[1], json: #"{"room_id":\#(room),"message":"after the kill"}"#)
            #expect(after["seq"] as? Int == 3 * perNode + 1)
            #expect(seqs(await frames(sockets[0]) { !seqs($0).isEmpty }) == [3 * perNode + 1])

            // The node comes back on the same database: it serves the same chat.
            nodes[2] = try await ServerProcess.start(arguments: arguments)
            let back = try await subscriber(on: nodes[2], token: tokens[2], room: room)
            let online = await frames(sockets[0]) { presence($0).contains("cat online") }
            #expect(presence(online) == ["cat online"])
            let fromRestarted = try await nodes[2].request("POST", "/api/messages", token: tokens[2], json: #"{"room_id":\#(room),"message":"back"}"#)
            #expect(fromRestarted["seq"] as? Int == 3 * perNode + 2)
            for socket in [sockets[0], sockets[1], back] {
                #expect(seqs(await frames(socket) { seqs($0).contains(3 * perNode + 2) }).last == 3 * perNode + 2)
            }
            let history = try await nodes[0].request("GET", "/api/rooms/\(room)/messages?limit=200", token: tokens[0]).list
            #expect(history.compactMap { $0["seq"] as? Int } == Array(1...(3 * perNode + 2)))
            for socket in sockets + [back] { await socket.close() }
        }
    }
}
