import Foundation
@testable import ChatServer
import NIOWebSocket
import HTTPTypes
import Testing

@Suite struct SocketTests {
    @Test func aSocketNeedsAValidToken() async throws {
        try await TestServer.run { api in
            for path in ["/ws/chat/lobby/", "/ws/chat/lobby/?token=not-a-token", "/ws/private/x/", "/ws/chat/group/x/"] {
                let probe = try await RawSocketProbe.open(port: api.port, path: path)
                #expect(probe.texts == [#"{"type":"error","error":"Authentication credentials were not provided or are invalid"}"#], "\(path)")
                #expect(probe.closeCode == 4401, "\(path)")
            }
        }
    }

    @Test func messagesReachEverySocketInTheRoomTheSendersIncluded() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let bob = try await api.user("bob")
            let a = try await TestSocket.connect(api, "/ws/chat/lobby/?token=\(alice.token)")
            let b = try await TestSocket.connect(api, "/ws/chat/lobby/", headers: [.authorization: "Bearer \(bob.token)"])
            try await a.send(#"{"message":"hello"}"#)
            for socket in [a, b] {
                let frame = await socket.nextJSON()
                #expect(frame?["type"] as? String == "message")
                #expect(frame?["username"] as? String == "alice")
                #expect(frame?["message"] as? String == "hello")
                #expect(frame?["seq"] as? Int == 1)
                #expect(frame?["room"] as? String == "lobby")
            }
            await a.close()
            await b.close()
        }
    }

    @Test func aSilentClientIsPingedThenDropped() async throws {
        let interval = 200
        try await TestServer.run({ $0.socketPingInterval = Int64(interval) }) { api in
            let alice = try await api.user("alice")
            let started = ContinuousClock.now
            let probe = try await RawSocketProbe.open(port: api.port, path: "/ws/chat/lobby/?token=\(alice.token)")
            #expect(probe.status == 101)
            #expect(probe.pings == 1, "one ping, then the connection ends")
            #expect(probe.closedByServer, "dropped by the server, not by the probe's read timeout")
            // Timers never fire early: silent for one interval (pinged), then one more (dropped).
            #expect(ContinuousClock.now - started >= .milliseconds(2 * interval))
            var online = -1
            for _ in 0..<250 where online != 0 {
                online = try await api.request(.get, "/api/rooms/1/online", token: alice.token).list.count
                if online != 0 { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(online == 0, "the dropped socket's session is closed")
        }
    }

    @Test func aClientThatAnswersPingsStaysOpen() async throws {
        try await TestServer.run({ $0.socketPingInterval = 300 }) { api in
            let alice = try await api.user("alice")
            let (pings, echo) = try await RawClient.run { () throws -> (Int, String?) in
                let client = try RawClient(port: api.port)
                guard try client.upgrade("/ws/chat/lobby/?token=\(alice.token)") == 101 else { return (0, nil) }
                // Silent but for pongs: each ping is answered, and the socket outlives three of them.
                var pings = 0
                while pings < 3, let frame = client.nextFrame(), frame.opcode == .ping {
                    pings += 1
                    try client.send(.pong, frame.payload)
                }
                try client.send(text: #"{"message":"still here"}"#)
                return (pings, client.nextText())
            }
            #expect(pings == 3)
            #expect(echo?.contains(#""message":"still here""#) == true, "\(echo ?? "nothing")")
        }
    }

    @Test func roomNamesInSocketPathsArePercentDecoded() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let room = try await api.room("tea room", token: alice.token)
            let socket = try await TestSocket.connect(api, "/ws/chat/tea%20room/?token=\(alice.token)")
            try await socket.send(#"{"message":"hi"}"#)
            let frame = await socket.nextJSON()
            #expect(frame?["room"] as? String == "tea room")
            #expect(try await api.request(.get, "/api/rooms/\(room)/messages", token: alice.token).list.count == 1)
            await socket.close()
        }
    }

    @Test func anUpgradeOnAnotherPathIsAnsweredAsHTTP() async throws {
        try await TestServer.run { api in
            let probe = try await RawSocketProbe.open(port: api.port, path: "/ws/elsewhere/")
            #expect(probe.status == 404)
        }
    }

    @Test func aMessageInSeveralFramesIsOneMessage() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let socket = try await TestSocket.connect(api, "/ws/chat/lobby/?token=\(alice.token)")
            try await socket.sendFrame(.text, fin: false, bytes: Array(#"{"message":"hel"#.utf8))
            try await socket.sendFrame(.continuation, fin: false, bytes: Array("lo, ".utf8))
            try await socket.sendFrame(.continuation, bytes: Array(#"world"}"#.utf8))
            #expect(await socket.nextJSON()?["message"] as? String == "hello, world")
            await socket.close()
        }
    }

    @Test(arguments: [
        ([(WebSocketOpcode.continuation, true, "x")], "Continuation frame without a message to continue"),
        ([(.text, false, #"{"message":"#), (.text, true, #"{"message":"x"}"#)], "New message before the previous one's last frame"),
    ])
    func framesOutOfSequenceCloseWith1002(_ frames: [(WebSocketOpcode, Bool, String)], _ reason: String) async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let lobby = try await api.room("lobby", token: alice.token)
            let received = try await RawClient.run {
                let client = try RawClient(port: api.port)
                _ = try client.upgrade("/ws/chat/lobby/?token=\(alice.token)")
                for (opcode, fin, text) in frames { try client.send(opcode, fin: fin, Array(text.utf8)) }
                return client.framesUntilClose()
            }
            #expect(received.map(\.opcode) == [.connectionClose], "no frame but the close")
            #expect(received.last?.closeCode == 1002)
            #expect(received.last?.closeReason == reason)
            #expect(try await api.request(.get, "/api/rooms/\(lobby)/messages", token: alice.token).list.isEmpty)
        }
    }

    @Test func aBurstOfRetriableSendsKeepsItsOrder() async throws {
        // Sends with client ids wait for a store lookup, so a burst queues up behind them and
        // the socket stops reading for a while: every message must still arrive once, in order.
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let socket = try await TestSocket.connect(api, "/ws/chat/lobby/?token=\(alice.token)")
            let count = 150
            for index in 0..<count {
                try await socket.send(#"{"message":"m\#(index)","client_msg_id":"c-\#(index)"}"#)
            }
            var received: [String] = []
            var seqs: [Int] = []
            while received.count < count, let frame = await socket.nextJSON() {
                received.append(frame["message"] as? String ?? "?")
                seqs.append(frame["seq"] as? Int ?? 0)
            }
            #expect(received == (0..<count).map { "m\($0)" })
            #expect(seqs == Array(1...count))
            await socket.close()
        }
    }
}
