import Foundation
import Synchronization
import HTTPTypes
import Testing

@Suite struct SocketRuleTests {
    @Test func aThirdUserOnThePairsNameGetsAPublicNamesakeAndNeverTheirMessages() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let bob = try await api.user("bob")
            let eve = try await api.user("eve")
            let dm = try await TestSocket.connect(api, "/ws/private/bob/?token=\(alice.token)")
            let pair = try #require(try await api.rooms(token: alice.token, atLeast: 1).first)
            #expect(pair["kind"] as? String == "private")
            #expect(pair["name"] as? String == "alice, bob")
            let toAlice = try await TestSocket.connect(api, "/ws/private/alice/?token=\(bob.token)")
            try await api.waitUntilOnline(2, in: try #require(pair["id"] as? Int), token: alice.token)
            // A private room's name is not a public name: /ws/chat/<name>/ is the public room of
            // that name, created on first use, as for any other name.
            let byName = try await TestSocket.connect(api, "/ws/chat/alice,%20bob/?token=\(eve.token)")
            let own = try await TestSocket.connect(api, "/ws/private/alice/?token=\(eve.token)")
            // Each of eve's sockets is in its room once its own message comes back to it.
            for socket in [byName, own] {
                try await socket.send(#"{"message":"eve here"}"#)
                #expect(await socket.nextJSON()?["message"] as? String == "eve here")
            }
            let eves = try await api.request(.get, "/api/rooms", token: eve.token).list
            #expect(eves.map { $0["kind"] as? String } == ["public", "private"])
            #expect(eves.map { $0["name"] as? String } == ["alice, bob", "alice, eve"])

            try await dm.send(#"{"message":"for bob only"}"#)
            #expect(await toAlice.nextJSON()?["message"] as? String == "for bob only")
            // Sent after bob has the message, eve's marker is the next frame on each of her
            // sockets: nothing came before it, the message above included.
            for socket in [byName, own] {
                try await socket.send(#"{"message":"marker"}"#)
                let next = await socket.nextJSON()
                #expect(next?["message"] as? String == "marker", "\(String(describing: next))")
            }
            await dm.close()
            await toAlice.close()
            await byName.close()
            await own.close()
        }
    }

    @Test(arguments: [
        ("/ws/private/nobody/", 4404, "Unknown user: nobody"),
        ("/ws/private/alice/", 4400, "You cannot chat with yourself"),
        ("/ws/chat/group/nope/", 4404, "Unknown room"),
        ("/ws/chat/group/team/", 4403, "You are not a member of this room"),
        ("/ws/chat/team/", 4403, "You are not a member of this room"),
    ])
    func refusedSocketsGetAnErrorFrameAndA44xxClose(_ path: String, _ code: Int, _ message: String) async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let owner = try await api.user("owner")
            _ = try await api.room("team", kind: "group", token: owner.token)
            let probe = try await RawSocketProbe.open(port: api.port, path: "\(path)?token=\(alice.token)")
            #expect(probe.status == 101)
            #expect(probe.texts == [#"{"type":"error","error":"\#(message)"}"#])
            #expect(probe.closeCode == code)
        }
    }

    @Test func membersOpenGroupSocketsByEitherPath() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            _ = try await api.request(.post, "/api/rooms/with-members", token: alice.token, json: #"{"name":"team","members":[]}"#)
            for path in ["/ws/chat/group/team/", "/ws/chat/team/", "/ws/chat/group/team"] {
                let socket = try await TestSocket.connect(api, "\(path)?token=\(alice.token)")
                try await socket.send(#"{"message":"via \#(path)"}"#)
                #expect(await socket.nextJSON()?["message"] as? String == "via \(path)", "\(path)")
                await socket.close()
            }
        }
    }

    @Test func aForgedUsernameIsRefusedAndNothingIsStored() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            _ = try await api.user("bob")
            let socket = try await TestSocket.connect(api, "/ws/chat/lobby/?token=\(alice.token)")
            try await socket.send(#"{"message":"I am bob","username":"bob"}"#)
            #expect(await socket.nextJSON()?["error"] as? String == "username does not match the authenticated user")
            try await socket.send(#"{"message":"I am alice","username":"alice"}"#)
            #expect(await socket.nextJSON()?["username"] as? String == "alice")
            let history = try await api.request(.get, "/api/rooms/1/messages", token: alice.token)
            #expect(history.list.map { $0["message"] as? String } == ["I am alice"])
            await socket.close()
        }
    }

    @Test func badFramesGetAnErrorAndTheSocketStaysOpen() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let socket = try await TestSocket.connect(api, "/ws/chat/lobby/?token=\(alice.token)")
            let cases: [(TestSocket) async throws -> Void] = [
                { try await $0.send("not json") },
                { try await $0.send(#"{"type":"dance"}"#) },
                { try await $0.send(#"{"message":""}"#) },
                { try await $0.send(#"{"message":"\#(String(repeating: "x", count: 4_001))"}"#) },
                { try await $0.send(#"{"message":42}"#) },
                { try await $0.send(#"{"message":"x","extra":1}"#) },
                { try await $0.sendBinary([1, 2, 3]) },
                { try await $0.send(#"{"message":"a\u0000b"}"#) },
                { try await $0.send(#"{"message":"x","client_msg_id":"k\u0000"}"#) },
            ]
            let expected = [
                "Invalid JSON", "Unknown frame type: dance", "Message is empty", "Message is longer than 4000 characters",
                "Field 'message' must be a string", "Unknown field: extra", "Binary frames are not supported",
                "Message must not contain U+0000 (NUL)", "client_msg_id must be 1 to 100 characters, without U+0000",
            ]
            for (send, message) in zip(cases, expected) {
                try await send(socket)
                let frame = await socket.nextJSON()
                #expect(frame?["type"] as? String == "error")
                #expect(frame?["error"] as? String == message)
            }
            try await socket.send(#"{"message":"still here"}"#)
            #expect(await socket.nextJSON()?["message"] as? String == "still here")
            #expect(try await api.request(.get, "/api/rooms/1/messages", token: alice.token).list.count == 1)
            await socket.close()
        }
    }

    @Test func anOversizedMessageClosesTheSocketWith1009() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let socket = try await TestSocket.connect(api, "/ws/chat/lobby/?token=\(alice.token)")
            try await socket.send(#"{"message":"\#(String(repeating: "x", count: 70_000))"}"#)
            #expect(await socket.closeCode() == .some(1009))
        }
    }

    @Test func restAndSocketsSeeTheSameMessages() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let bob = try await api.user("bob")
            let lobby = try await api.room("lobby", token: alice.token)
            let socket = try await TestSocket.connect(api, "/ws/chat/lobby/?token=\(bob.token)")
            try await api.waitUntilOnline(1, in: lobby, token: alice.token)
            let posted = try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":\#(lobby),"message":"from rest"}"#)
            let live = await socket.nextJSON()
            #expect(live?["id"] as? Int == posted["id"] as? Int)
            #expect(live?["seq"] as? Int == 1)
            #expect(live?["message"] as? String == "from rest")
            try await socket.send(#"{"message":"from socket","client_msg_id":"s-1"}"#)
            let echoed = await socket.nextJSON()
            let history = try await api.request(.get, "/api/rooms/\(lobby)/messages", token: alice.token).list
            #expect(history.last?["id"] as? Int == echoed?["id"] as? Int)
            #expect(history.last?["seq"] as? Int == 2)
            #expect(history.last?["client_msg_id"] as? String == "s-1")
            await socket.close()
        }
    }

    @Test func aRepeatedClientMessageIDIsAcknowledgedToTheSenderAlone() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let bob = try await api.user("bob")
            let a = try await TestSocket.connect(api, "/ws/chat/lobby/?token=\(alice.token)")
            let b = try await TestSocket.connect(api, "/ws/chat/lobby/?token=\(bob.token)")
            _ = await a.nextJSON()  // bob online
            try await a.send(#"{"message":"once","client_msg_id":"c-1"}"#)
            let first = await a.nextJSON()
            #expect(await b.nextJSON()?["id"] as? Int == first?["id"] as? Int)
            try await a.send(#"{"message":"once","client_msg_id":"c-1"}"#)
            let again = await a.nextJSON()
            #expect(again?["id"] as? Int == first?["id"] as? Int)
            #expect(again?["seq"] as? Int == 1)
            #expect(await b.staysQuiet())
            await a.close()
            await b.close()
        }
    }

    @Test func typingIsShownToOthersAndStopsByItself() async throws {
        try await TestServer.run({ $0.engine.typingTimeout = 1_000 }) { api in
            let alice = try await api.user("alice")
            let bob = try await api.user("bob")
            let a = try await TestSocket.connect(api, "/ws/chat/lobby/?token=\(alice.token)")
            let b = try await TestSocket.connect(api, "/ws/chat/lobby/?token=\(bob.token)")
            _ = await a.nextJSON()  // bob online
            let typedAt = ContinuousClock.now
            try await a.send(#"{"type":"typing"}"#)
            let started = await b.nextJSON()
            #expect(started?["type"] as? String == "typing")
            #expect(started?["username"] as? String == "alice")
            #expect(started?["room"] as? String == "lobby")
            #expect(started?["typing"] as? Bool == true)
            // Nobody sends again: the server's timer ends it, a second after it got the frame.
            // Counted from before the frame was sent, no delay on a loaded machine can make a
            // stop look early: only a server that stops early can.
            let stopped = await b.nextJSON(timeout: .seconds(10))
            #expect(ContinuousClock.now - typedAt >= .milliseconds(800), "typing stopped before its timeout")
            #expect(stopped?["typing"] as? Bool == false)
            #expect(await a.staysQuiet())
            // A message ends typing at once.
            try await a.send(#"{"type":"typing","typing":true}"#)
            #expect(await b.nextJSON()?["typing"] as? Bool == true)
            try await a.send(#"{"message":"done"}"#)
            #expect(await b.nextJSON()?["type"] as? String == "message")
            #expect(await b.nextJSON()?["typing"] as? Bool == false)
            await a.close()
            await b.close()
        }
    }

    @Test func aRemovedMemberIsDisconnectedAtOnce() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let bob = try await api.user("bob")
            _ = try await api.request(.post, "/api/rooms/with-members", token: alice.token, json: #"{"name":"team","members":["bob"]}"#)
            let b = try await TestSocket.connect(api, "/ws/chat/group/team/?token=\(bob.token)")
            try await b.send(#"{"message":"hi"}"#)
            #expect(await b.nextJSON()?["message"] as? String == "hi")
            #expect(try await api.request(.delete, "/api/rooms/1/members/bob", token: alice.token).status == 204)
            #expect(await b.nextJSON()?["error"] as? String == "You are not a member of this room")
            #expect(await b.closeCode() == .some(4403))
            // The room goes on without bob.
            let after = try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":1,"message":"after"}"#)
            #expect(after.status == 201)
            #expect(after["message"] as? String == "after")
        }
    }

    @Test func foreignOriginsAreRefused() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let path = "/ws/chat/lobby/?token=\(alice.token)"
            let evil = try await RawSocketProbe.open(port: api.port, path: path, headers: ["Origin": "https://evil.example"])
            #expect(evil.texts == [#"{"type":"error","error":"Origin not allowed"}"#])
            #expect(evil.closeCode == 4403)
            // The server's own host on any port, and clients that send no Origin, may connect.
            let same = try await TestSocket.connect(api, path)
            try await same.send(#"{"message":"same host"}"#)
            #expect(await same.nextJSON()?["message"] as? String == "same host")
            await same.close()
        }
        try await TestServer.run({ $0.allowedOrigins = ["https://chat.example"] }) { api in
            let alice = try await api.user("alice")
            let path = "/ws/chat/lobby/?token=\(alice.token)"
            let other = try await RawSocketProbe.open(port: api.port, path: path, headers: ["Origin": "http://127.0.0.1:\(api.port)"])
            #expect(other.closeCode == 4403)
            let listed = try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":1,"message":"x"}"#)
            #expect(listed.status == 404)
        }
    }

    @Test func aClientThatStopsReadingIsCutOff() async throws {
        // A client that reads nothing does not answer pings either: with the default interval
        // (30 s), a machine slow enough to take a minute over the messages below would drop it
        // for its silence before its queue fills. Pings are kept out of the way here.
        try await TestServer.run({ $0.outboundQueueLimit = 64; $0.socketPingInterval = 3_600_000 }) { api in
            let alice = try await api.user("alice")
            let reader = try await api.user("lazy")
            let lobby = try await api.room("lobby", token: alice.token)
            let lazy = try await TestSocket.connect(api, "/ws/chat/lobby/?token=\(reader.token)", readFrames: false)
            let text = String(repeating: "y", count: 3_900)
            var cutOff = false
            // Up to 39 MB: more than the kernel can hold for a client that does not read (up to
            // 32 MB of receive buffer here, 4 MB of send buffer), so only the server's own
            // queue limit can end the loop early; it usually does within the first 3 000.
            for index in 0..<10_000 where !cutOff {
                _ = try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":\#(lobby),"message":"\#(index) \#(text)"}"#)
                if index % 50 == 49 {
                    cutOff = try await api.metrics()["chat_slow_consumers_total"] ?? 0 >= 1
                }
            }
            #expect(cutOff, "the server still queues for a client that reads nothing")
            #expect(try await api.metrics()["chat_slow_consumers_total"] == 1)
            // The connection is dropped after the grace period; senders never waited on it.
            var open = try await api.metrics()["chat_open_sockets"]
            for _ in 0..<100 where open != 0 {
                try await Task.sleep(for: .milliseconds(100))
                open = try await api.metrics()["chat_open_sockets"]
            }
            #expect(open == 0)
            await lazy.close()
        }
    }
}

/// A flag one task sets and another polls.
final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
