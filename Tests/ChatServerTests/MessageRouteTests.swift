import Foundation
import ChatServer
import ChatService
import Testing

@Suite struct MessageRouteTests {
    @Test func sendingAMessage() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let lobby = try await api.room("lobby", token: alice.token)
            let sent = try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":\#(lobby),"message":"hello"}"#)
            #expect(sent.status == 201)
            #expect(sent["id"] as? Int == 1)
            #expect(sent["room_id"] as? Int == lobby)
            #expect(sent["room"] as? String == "lobby")
            #expect(sent["seq"] as? Int == 1)
            #expect(sent["username"] as? String == "alice")
            #expect(sent["message"] as? String == "hello")
            #expect((sent["timestamp"] as? String)?.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression) != nil)
            #expect(sent["client_msg_id"] == nil)
        }
    }

    @Test func theSenderIsTheAuthenticatedUserNeverAClaimedName() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            _ = try await api.user("bob")
            let lobby = try await api.room("lobby", token: alice.token)
            let forged = try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":\#(lobby),"message":"hi","username":"bob"}"#)
            #expect(forged.status == 400)
            #expect(forged.error == "Unknown field: username")
            #expect(try await api.request(.get, "/api/rooms/\(lobby)/messages", token: alice.token).list.isEmpty)
        }
    }

    @Test func aRepeatedClientMessageIDReturnsTheStoredMessage() async throws {
        try await TestServer.run({ $0.engine.recentMessagesPerRoom = 2 }) { api in
            let alice = try await api.user("alice")
            let lobby = try await api.room("lobby", token: alice.token)
            let first = try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":\#(lobby),"message":"once","client_msg_id":"m-1"}"#)
            #expect(first.status == 201)
            #expect(first["client_msg_id"] as? String == "m-1")
            let again = try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":\#(lobby),"message":"once","client_msg_id":"m-1"}"#)
            #expect(again.status == 200)
            #expect(again.body == first.body)
            // Still recognised once the engine's window (2) has moved past it: the store knows.
            for index in 0..<3 {
                _ = try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":\#(lobby),"message":"filler \#(index)"}"#)
            }
            let late = try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":\#(lobby),"message":"once","client_msg_id":"m-1"}"#)
            #expect(late.status == 200)
            #expect(late.body == first.body)
            #expect(try await api.request(.get, "/api/rooms/\(lobby)/messages", token: alice.token).list.count == 4)
        }
    }

    @Test func badMessagesAreRefusedAndStoreNothing() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let eve = try await api.user("eve")
            let lobby = try await api.room("lobby", token: alice.token)
            let team = try await api.room("team", kind: "group", token: alice.token)
            let cases: [(String, String, Int, String)] = [
                (alice.token, #"{"room_id":\#(lobby),"message":""}"#, 400, "Message is empty"),
                (alice.token, #"{"room_id":\#(lobby),"message":"  \n\t "}"#, 400, "Message is empty"),
                (alice.token, #"{"room_id":\#(lobby),"message":"\#(String(repeating: "x", count: 4_001))"}"#, 400, "Message is longer than 4000 characters"),
                (alice.token, #"{"room_id":\#(lobby),"message":"x","client_msg_id":""}"#, 400, "client_msg_id must be 1 to 100 characters, without U+0000"),
                (alice.token, #"{"room_id":\#(lobby),"message":"x","client_msg_id":"a\u0000b"}"#, 400, "client_msg_id must be 1 to 100 characters, without U+0000"),
                (alice.token, #"{"room_id":\#(lobby),"message":"a\u0000b"}"#, 400, "Message must not contain U+0000 (NUL)"),
                (alice.token, #"{"room_id":"1","message":"x"}"#, 400, "Field 'room_id' must be an integer"),
                (alice.token, #"{"room_id":1.5,"message":"x"}"#, 400, "Field 'room_id' must be an integer"),
                (alice.token, #"{"message":"x"}"#, 400, "Missing field: room_id"),
                (alice.token, #"{"room_id":99,"message":"x"}"#, 404, "Unknown room"),
                (alice.token, #"{"room_id":0,"message":"x"}"#, 404, "Unknown room"),
                (eve.token, #"{"room_id":\#(team),"message":"let me in"}"#, 403, "You are not a member of this room"),
            ]
            for (token, body, status, message) in cases {
                let reply = try await api.request(.post, "/api/messages", token: token, json: body)
                #expect(reply.status == status, "\(body.prefix(80)): \(reply.body.prefix(200))")
                #expect(reply.error == message, "\(body.prefix(80))")
            }
            #expect(try await api.request(.get, "/api/messages", token: alice.token).list.isEmpty)
            #expect(try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":\#(lobby),"message":"\#(String(repeating: "x", count: 4_000))"}"#).status == 201)
            #expect(try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":\#(lobby),"message":"\#(String(repeating: "é", count: 4_000))"}"#).status == 201)
        }
    }

    @Test func bodiesOverOneMebibyteAreRefused() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let huge = #"{"room_id":1,"message":"\#(String(repeating: "x", count: 1 << 20))"}"#
            let reply = try await api.request(.post, "/api/messages", token: alice.token, json: huge)
            #expect(reply.status == 413)
            #expect(reply.error == "Request body is larger than 1048576 bytes")
        }
    }

    @Test func sendingTooFastIsRefused() async throws {
        // The clock stands still: however slow the machine, no token refills during the burst.
        try await TestServer.run({ $0.sendRatePerSecond = 1; $0.sendBurst = 3; $0.clock = ManualClock() }) { api in
            let alice = try await api.user("alice")
            let lobby = try await api.room("lobby", token: alice.token)
            var statuses: [Int] = []
            for index in 0..<5 {
                statuses.append(try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":\#(lobby),"message":"m\#(index)"}"#).status)
            }
            #expect(statuses == [201, 201, 201, 429, 429])
            let limited = try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":\#(lobby),"message":"again"}"#)
            #expect(limited.error == "Too many messages; slow down")
        }
    }

    @Test func historyPagesBackwardsOldestFirst() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let lobby = try await api.room("lobby", token: alice.token)
            for index in 1...7 {
                _ = try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":\#(lobby),"message":"m\#(index)"}"#)
            }
            let latest = try await api.request(.get, "/api/rooms/\(lobby)/messages?limit=3", token: alice.token)
            #expect(latest.list.map { $0["seq"] as? Int } == [5, 6, 7])
            let older = try await api.request(.get, "/api/rooms/\(lobby)/messages?limit=3&before=5", token: alice.token)
            #expect(older.list.map { $0["message"] as? String } == ["m2", "m3", "m4"])
            let resumed = try await api.request(.get, "/api/rooms/\(lobby)/messages?after=5", token: alice.token)
            #expect(resumed.list.map { $0["seq"] as? Int } == [6, 7])
            #expect(try await api.request(.get, "/api/rooms/\(lobby)/messages", token: alice.token).list.count == 7)
            for (query, message) in [
                ("limit=0", "limit must be an integer from 1 to 200"), ("limit=201", "limit must be an integer from 1 to 200"),
                ("limit=x", "limit must be an integer from 1 to 200"), ("before=0", "before must be a positive integer"),
                ("after=-1", "after must be a non-negative integer"), ("before=3&after=1", "before and after cannot be combined"),
            ] {
                let reply = try await api.request(.get, "/api/rooms/\(lobby)/messages?\(query)", token: alice.token)
                #expect(reply.status == 400, "\(query)")
                #expect(reply.error == message, "\(query)")
            }
            #expect(try await api.request(.get, "/api/rooms/42/messages", token: alice.token).status == 404)
        }
    }

    @Test func privateAndGroupHistoryIsForMembersOnly() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            _ = try await api.user("bob")
            let eve = try await api.user("eve")
            let dm = try await TestSocket.connect(api, "/ws/private/bob/?token=\(alice.token)")
            try await dm.send(#"{"message":"secret"}"#)
            #expect(await dm.nextJSON()?["message"] as? String == "secret")
            let room = try await api.request(.get, "/api/rooms", token: alice.token).list.first?["id"] as? Int ?? 0
            let peek = try await api.request(.get, "/api/rooms/\(room)/messages", token: eve.token)
            #expect(peek.status == 403)
            #expect(peek.body == #"{"error":"You are not a member of this room"}"#)
            #expect(try await api.request(.get, "/api/messages", token: eve.token).list.isEmpty)
            #expect(try await api.request(.get, "/api/rooms", token: eve.token).list.isEmpty)
            let post = try await api.request(.post, "/api/messages", token: eve.token, json: #"{"room_id":\#(room),"message":"hi"}"#)
            #expect(post.status == 403)
            #expect(try await api.request(.get, "/api/messages", token: alice.token).list.map { $0["message"] as? String } == ["secret"])
            await dm.close()
        }
    }

    @Test func latestMessagesAcrossRoomsPageByID() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let a = try await api.room("a", token: alice.token)
            let b = try await api.room("b", token: alice.token)
            for index in 1...6 {
                _ = try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":\#(index % 2 == 0 ? a : b),"message":"m\#(index)"}"#)
            }
            let page = try await api.request(.get, "/api/messages?limit=4", token: alice.token)
            #expect(page.list.map { $0["id"] as? Int } == [3, 4, 5, 6])
            let older = try await api.request(.get, "/api/messages?limit=4&before=3", token: alice.token)
            #expect(older.list.map { $0["message"] as? String } == ["m1", "m2"])
        }
    }
}

@Suite struct RetryValidationTests {
    /// A retry with a client id is checked like a first send before the stored message is
    /// looked up: a retry into a room the sender may not use, or with bad text, is refused.
    @Test func aRetryIsValidatedLikeAFirstSend() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let owner = try await api.user("owner")
            let lobby = try await api.room("lobby", token: alice.token)
            let team = try await api.room("team", kind: "group", token: owner.token)
            #expect(try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":\#(lobby),"message":"hi","client_msg_id":"c1"}"#).status == 201)
            let wrongRoom = try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":999,"message":"hi","client_msg_id":"c1"}"#)
            #expect(wrongRoom.status == 404)
            let blank = try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":\#(lobby),"message":"  ","client_msg_id":"c1"}"#)
            #expect(blank.status == 400)
            let forbidden = try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":\#(team),"message":"hi","client_msg_id":"c1"}"#)
            #expect(forbidden.status == 403)
        }
    }
}
