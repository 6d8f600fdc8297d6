import ChatEngine
import ChatProtocol
import ChatService
import Testing

@Suite struct V1SocketTests {
    @Test func aSocketSaysHelloFirstAndIsRefusedWithoutAValidToken() async throws {
        let h = try await V1Harness()
        let alice = try await h.user("alice")
        let socket = try #require(await h.connect(alice.token))
        let hello = h.frames(socket.session)
        #expect(hello.count == 1)
        #expect(hello.first?["type"] as? String == "hello")
        #expect((hello.first?["user"] as? [String: Any])?["username"] as? String == "alice")
        #expect(hello.first?["session"] as? String == String(socket.session.rawValue))

        let session = h.service.newSession()
        h.outbox.open(session)
        #expect(await h.service.openV1Socket(V1SocketRequest(target: "/ws/v1?token=nope", authorization: nil, origin: nil, host: nil)!, session: session) == nil)
        let refused = h.frames(session)
        #expect(refused.first?["code"] as? String == "not_authenticated")
        #expect(refused.first?["error"] as? String == ServiceError.notAuthenticatedMessage)
        #expect(refused.last?["closed"] as? Int == 4401)
    }

    @Test func onlyTheV1PathIsAV1Socket() {
        for target in ["/ws/v1", "/ws/v1/", "/ws/v1?token=x"] {
            #expect(V1SocketRequest(target: target, authorization: nil, origin: nil, host: nil) != nil, "\(target)")
        }
        for target in ["/ws/v2", "/ws/v1/x", "/ws/chat/v1/", "/ws"] {
            #expect(V1SocketRequest(target: target, authorization: nil, origin: nil, host: nil) == nil, "\(target)")
        }
        #expect(V1SocketRequest(target: "/ws/v1?token=query", authorization: "Bearer header", origin: nil, host: nil)?.token == "header")
    }

    @Test func theSenderGetsAnAckAndTheOthersAMessageOnce() async throws {
        let h = try await V1Harness()
        let alice = try await h.user("alice")
        let bob = try await h.user("bob")
        let lobby = try await h.service.createRoom(by: alice.id, CreateRoomRequest(name: "lobby", kind: "public"))
        let a1 = try #require(await h.connect(alice.token))
        let a2 = try #require(await h.connect(alice.token))
        let b = try #require(await h.connect(bob.token))
        for socket in [a1, a2, b] { await h.send(socket, #"{"id":1,"type":"subscribe","room":\#(lobby.id)}"#) }
        for socket in [a1, a2, b] { _ = h.frames(socket.session) }

        await h.send(a1, #"{"id":7,"type":"send","room":\#(lobby.id),"text":"hi","client_msg_id":"c1"}"#)
        let ack = h.frames(a1.session)
        #expect(ack.count == 1)
        #expect(ack.first?["type"] as? String == "ack" && ack.first?["id"] as? Int == 7 && ack.first?["duplicate"] == nil)
        #expect((ack.first?["message"] as? [String: Any])?["seq"] as? Int == 1)
        for other in [a2, b] {
            let pushed = h.frames(other.session)
            #expect(pushed.map { $0["type"] as? String } == ["message"])
            #expect((pushed.first?["message"] as? [String: Any])?["text"] as? String == "hi")
        }

        // A retry: the stored message again, marked, and nothing delivered to anyone else.
        await h.send(a1, #"{"id":8,"type":"send","room":\#(lobby.id),"text":"hi","client_msg_id":"c1"}"#)
        let retry = h.frames(a1.session)
        #expect(retry.first?["type"] as? String == "ack" && retry.first?["id"] as? Int == 8 && retry.first?["duplicate"] as? Bool == true)
        #expect(h.frames(a2.session).isEmpty && h.frames(b.session).isEmpty)
    }

    @Test func refusalsCarryTheRequestIDACodeAndTheRESTMessage() async throws {
        let h = try await V1Harness()
        let alice = try await h.user("alice")
        let bob = try await h.user("bob")
        let team = try await h.service.createRoom(by: bob.id, CreateRoomRequest(name: "team", kind: "group"))
        let socket = try #require(await h.connect(alice.token))
        _ = h.frames(socket.session)
        let cases: [(String, String, String)] = [
            (#"{"id":1,"type":"subscribe","room":\#(team.id)}"#, "not_member", Rejection.notMember.message),
            (#"{"id":2,"type":"subscribe","room":99}"#, "unknown_room", Rejection.unknownRoom.message),
            (#"{"id":3,"type":"send","room":\#(team.id),"text":"x"}"#, "not_member", Rejection.notMember.message),
            (#"{"id":4,"type":"launch","room":1}"#, "invalid_frame", "Unknown frame type: launch"),
            (#"{"id":5,"type":"subscribe","room":"1"}"#, "invalid_frame", "Field 'room' must be an integer"),
            (#"{"id":6,"type":"subscribe"}"#, "invalid_frame", "Missing field: room"),
            (#"{"id":7,"type":"subscribe","room":1,"extra":true}"#, "invalid_frame", "Unknown field: extra"),
            (#"{"id":8,"type":"history","room":1,"limit":101}"#, "invalid_request", V1Socket.historyLimitMessage),
            (#"{"id":9,"type":"edit","message_id":5,"text":"x"}"#, "unknown_message", Rejection.unknownMessage.message),
            (#"{"id":10,"type":"unsubscribe","room":\#(team.id)}"#, "not_subscribed", Rejection.notSubscribed.message),
        ]
        for (frame, code, message) in cases {
            await h.send(socket, frame)
            let answer = h.frames(socket.session)
            #expect(answer.count == 1, "\(frame)")
            #expect(answer.first?["type"] as? String == "error", "\(frame)")
            #expect(answer.first?["code"] as? String == code, "\(frame)")
            #expect(answer.first?["error"] as? String == message, "\(frame)")
            #expect(answer.first?["id"] as? Int == Int(frame.split(separator: ",")[0].dropFirst(6)), "\(frame)")
        }
        await h.send(socket, "not json")
        #expect(h.frames(socket.session).first?["error"] as? String == "Invalid JSON")
        #expect(try await h.service.store.messages(in: RoomID(team.id), before: nil, limit: 10, includingDeleted: true).isEmpty)
    }
}
