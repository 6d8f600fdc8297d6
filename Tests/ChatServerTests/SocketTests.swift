import Foundation
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
}
