import Foundation
import Testing

/// The v1 socket over real loopback sockets, beside the seed sockets of the same rooms.
@Suite struct V1SocketLiveTests {
    @Test func v1AndSeedSocketsOfARoomSeeEachOthersMessagesInTheirOwnFrames() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let bob = try await api.user("bob")
            let lobby = try await api.room("lobby", token: alice.token)
            let v1 = try await TestSocket.connect(api, "/ws/v1?token=\(alice.token)")
            #expect(await v1.nextJSON()?["type"] as? String == "hello")
            try await v1.send(#"{"id":1,"type":"subscribe","room":\#(lobby)}"#)
            let subscribed = await v1.nextJSON()
            #expect(subscribed?["type"] as? String == "subscribed" && subscribed?["id"] as? Int == 1 && subscribed?["recovered"] as? Bool == false)
            let seed = try await TestSocket.connect(api, "/ws/chat/lobby/?token=\(bob.token)")
            // Bob's seed socket makes him online: a presence frame for the v1 socket only.
            let presence = await v1.nextJSON()
            #expect(presence?["type"] as? String == "presence" && presence?["online"] as? Bool == true)

            try await seed.send(#"{"message":"from seed"}"#)
            #expect(await seed.nextJSON()?["message"] as? String == "from seed")
            let pushed = await v1.nextJSON()
            #expect(pushed?["type"] as? String == "message" && (pushed?["message"] as? [String: Any])?["text"] as? String == "from seed")

            try await v1.send(#"{"id":2,"type":"send","room":\#(lobby),"text":"from v1"}"#)
            let ack = await v1.nextJSON()
            #expect(ack?["type"] as? String == "ack" && ack?["id"] as? Int == 2)
            let seedFrame = await seed.nextJSON()
            #expect(seedFrame?["type"] as? String == "message" && seedFrame?["message"] as? String == "from v1" && seedFrame?["username"] as? String == "alice")

            // An edit reaches the v1 socket; the seed socket gets nothing.
            let id = try #require((ack?["message"] as? [String: Any])?["id"] as? Int)
            try await v1.send(#"{"id":3,"type":"edit","message_id":\#(id),"text":"edited"}"#)
            #expect(await v1.nextJSON()?["type"] as? String == "edited")
            #expect(await v1.nextJSON()?["type"] as? String == "ok")
            #expect(await seed.staysQuiet())
        }
    }

    @Test func aV1SocketWithoutAValidTokenIsClosedWith4401() async throws {
        try await TestServer.run { api in
            let socket = try await TestSocket.connect(api, "/ws/v1?token=wrong")
            let error = await socket.nextJSON()
            #expect(error?["type"] as? String == "error" && error?["code"] as? String == "not_authenticated")
            #expect(await socket.closeCode() == .some(4401))
        }
    }

    @Test func aV1SocketMayFollowRequestsOnAKeepAliveConnection() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let hello = try await RawClient.run { () throws -> String in
                let client = try RawClient(port: api.port)
                _ = try client.request("GET", "/healthz")
                let status = try client.upgrade("/ws/v1?token=\(alice.token)")
                guard status == 101 else { return "status \(status)" }
                return client.nextFrame()?.text ?? "no frame"
            }
            #expect(hello.hasPrefix(#"{"type":"hello","user":{"id":1,"username":"alice"},"session":""#), "\(hello)")
        }
    }
}
