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
            #expect(await a.nextJSON()?["type"] as? String == "presence")  // bob came online
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
        try await TestServer.run({ $0.socketPingInterval = 200 }) { api in
            let alice = try await api.user("alice")
            let started = ContinuousClock.now
            let probe = try await RawSocketProbe.open(port: api.port, path: "/ws/chat/lobby/?token=\(alice.token)")
            #expect(probe.status == 101)
            #expect(probe.pings == 1)
            #expect(probe.closedByServer)
            #expect(ContinuousClock.now - started < .seconds(3))
            var online = -1
            for _ in 0..<100 where online != 0 {
                online = try await api.request(.get, "/api/rooms/1/online", token: alice.token).list.count
                if online != 0 { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(online == 0, "the dropped socket's session is closed")
        }
    }

    @Test func aClientThatAnswersPingsStaysOpen() async throws {
        try await TestServer.run({ $0.socketPingInterval = 100 }) { api in
            let alice = try await api.user("alice")
            let socket = try await TestSocket.connect(api, "/ws/chat/lobby/?token=\(alice.token)")
            try await Task.sleep(for: .milliseconds(600))
            try await socket.send(#"{"message":"still here"}"#)
            #expect(await socket.nextJSON()?["message"] as? String == "still here")
            await socket.close()
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
        ([(WebSocketOpcode.continuation, true, "x")], ChatSocketHandler.unexpectedContinuationMessage),
        ([(.text, false, #"{"message":"#), (.text, true, #"{"message":"x"}"#)], ChatSocketHandler.unfinishedMessageMessage),
    ])
    func framesOutOfSequenceCloseWith1002(_ frames: [(WebSocketOpcode, Bool, String)], _ error: String) async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let lobby = try await api.room("lobby", token: alice.token)
            let socket = try await TestSocket.connect(api, "/ws/chat/lobby/?token=\(alice.token)")
            for (opcode, fin, text) in frames {
                try await socket.sendFrame(opcode, fin: fin, bytes: Array(text.utf8))
            }
            let frame = await socket.nextJSON()
            #expect(frame?["error"] as? String == error)
            #expect(await socket.closeCode() == .some(1002))
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
