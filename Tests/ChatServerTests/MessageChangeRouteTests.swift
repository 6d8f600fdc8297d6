import ChatEngine
import ChatServer
import ChatService
import Foundation
import Testing

/// `PATCH`/`DELETE /api/messages/{id}`, `POST /api/rooms/{id}/read` and the read state of `GET /api/rooms`.
@Suite struct MessageChangeRouteTests {
    @Test func theAuthorEditsAndHistoryShowsTheNewTextWithItsTime() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let lobby = try await api.room("lobby", token: alice.token)
            let sent = try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":\#(lobby),"message":"tpyo"}"#)
            let id = try #require(sent["id"] as? Int)
            let edited = try await api.request(.patch, "/api/messages/\(id)", token: alice.token, json: #"{"message":"typo"}"#)
            #expect(edited.status == 200)
            #expect(edited["message"] as? String == "typo" && edited["seq"] as? Int == 1 && edited["id"] as? Int == id)
            #expect(edited["edited_at"] is String)
            let history = try await api.request(.get, "/api/rooms/\(lobby)/messages", token: alice.token).list
            #expect(history.map { $0["message"] as? String } == ["typo"])
            #expect(history.first?["edited_at"] as? String == edited["edited_at"] as? String)
        }
    }

    @Test func deletedMessagesLeaveRESTHistoryAndTheUnreadCount() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let bob = try await api.user("bob")
            let team = try #require(try await api.request(.post, "/api/rooms/with-members", token: alice.token, json: #"{"name":"team","members":["bob"]}"#)["id"] as? Int)
            var ids: [Int] = []
            for text in ["one", "two", "three"] {
                ids.append(try #require(try await api.request(.post, "/api/messages", token: bob.token, json: #"{"room_id":\#(team),"message":"\#(text)"}"#)["id"] as? Int))
            }
            // The owner deletes bob's message; bob may not edit it any more.
            #expect(try await api.request(.delete, "/api/messages/\(ids[1])", token: alice.token).status == 204)
            let gone = try await api.request(.patch, "/api/messages/\(ids[1])", token: bob.token, json: #"{"message":"back"}"#)
            #expect(gone.status == 410 && gone.error == "This message was deleted")
            let history = try await api.request(.get, "/api/rooms/\(team)/messages", token: alice.token).list
            #expect(history.map { $0["message"] as? String } == ["one", "three"])
            #expect(history.map { $0["seq"] as? Int } == [1, 3])

            var rooms = try await api.request(.get, "/api/rooms", token: alice.token).list
            #expect(rooms.first?["last_seq"] as? Int == 3 && rooms.first?["read_seq"] as? Int == 0 && rooms.first?["unread"] as? Int == 2)
            #expect(try await api.request(.post, "/api/rooms/\(team)/read", token: alice.token, json: #"{"seq":1}"#).status == 204)
            rooms = try await api.request(.get, "/api/rooms", token: alice.token).list
            #expect(rooms.first?["read_seq"] as? Int == 1 && rooms.first?["unread"] as? Int == 1)
            // A marker never moves back.
            #expect(try await api.request(.post, "/api/rooms/\(team)/read", token: alice.token, json: #"{"seq":0}"#).status == 204)
            #expect(try await api.request(.get, "/api/rooms", token: alice.token).list.first?["read_seq"] as? Int == 1)
            // Bob's own messages are never unread for him.
            #expect(try await api.request(.get, "/api/rooms", token: bob.token).list.first?["unread"] as? Int == 0)
        }
    }

    @Test func badChangesAreRefusedAndChangeNothing() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let eve = try await api.user("eve")
            let team = try #require(try await api.request(.post, "/api/rooms", token: alice.token, json: #"{"name":"team","kind":"group"}"#)["id"] as? Int)
            let id = try #require(try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":\#(team),"message":"mine"}"#)["id"] as? Int)
            let oversized = #"{"message":""# + String(repeating: "x", count: (1 << 20) + 1) + #""}"#
            let cases: [(method: String, path: String, token: String?, json: String?, status: Int, error: String)] = [
                ("PATCH", "/api/messages/\(id)", nil, #"{"message":"x"}"#, 401, ServiceError.notAuthenticatedMessage),
                ("PATCH", "/api/messages/\(id)", eve.token, #"{"message":"x"}"#, 404, "Unknown message"),
                ("PATCH", "/api/messages/999", alice.token, #"{"message":"x"}"#, 404, "Unknown message"),
                ("PATCH", "/api/messages/abc", alice.token, #"{"message":"x"}"#, 400, "message_id must be a positive integer"),
                ("PATCH", "/api/messages/\(id)", alice.token, #"{"message":"  "}"#, 400, "Message is empty"),
                ("PATCH", "/api/messages/\(id)", alice.token, #"{"message":"a\u0000b"}"#, 400, "Message must not contain U+0000 (NUL)"),
                ("PATCH", "/api/messages/\(id)", alice.token, #"{"message":"x","room_id":1}"#, 400, "Unknown field: room_id"),
                ("PATCH", "/api/messages/\(id)", alice.token, #"{"text":"x"}"#, 400, "Unknown field: text"),
                ("PATCH", "/api/messages/\(id)", alice.token, "{", 400, "Invalid JSON"),
                ("PATCH", "/api/messages/\(id)", alice.token, oversized, 413, "Request body is larger than 1048576 bytes"),
                ("PATCH", "/api/messages/\(id)", alice.token, #"{"message":"\#(String(repeating: "y", count: 4_001))"}"#, 400, "Message is longer than 4000 characters"),
                ("DELETE", "/api/messages/\(id)", nil, nil, 401, ServiceError.notAuthenticatedMessage),
                ("DELETE", "/api/messages/\(id)", eve.token, nil, 404, "Unknown message"),
                ("DELETE", "/api/messages/0", alice.token, nil, 400, "message_id must be a positive integer"),
                ("POST", "/api/rooms/\(team)/read", eve.token, #"{"seq":1}"#, 403, "You are not a member of this room"),
                ("POST", "/api/rooms/\(team)/read", alice.token, #"{"seq":2}"#, 400, "seq must be between 0 and 1, the room's last seq"),
                ("POST", "/api/rooms/\(team)/read", alice.token, #"{"seq":"1"}"#, 400, "Field 'seq' must be an integer"),
                ("POST", "/api/rooms/99/read", alice.token, #"{"seq":0}"#, 404, "Unknown room"),
                ("POST", "/api/rooms/\(team)/read", nil, #"{"seq":0}"#, 401, ServiceError.notAuthenticatedMessage),
            ]
            for item in cases {
                let reply = try await api.request(.init(item.method)!, item.path, token: item.token, json: item.json)
                #expect(reply.status == item.status, "\(item.method) \(item.path) \(item.json ?? ""): \(reply.body)")
                #expect(reply.error == item.error, "\(item.method) \(item.path)")
            }
            let history = try await api.request(.get, "/api/rooms/\(team)/messages", token: alice.token).list
            #expect(history.map { $0["message"] as? String } == ["mine"] && history.first?["edited_at"] == nil)
            #expect(try await api.request(.get, "/api/rooms", token: alice.token).list.first?["read_seq"] as? Int == 0)
        }
    }

    @Test func aPrivateRoomIsOpenedOverRESTOnceForThePair() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let bob = try await api.user("bob")
            let opened = try await api.request(.post, "/api/rooms/private", token: alice.token, json: #"{"username":"bob"}"#)
            #expect(opened.status == 200)
            #expect(opened["kind"] as? String == "private" && opened["name"] as? String == "alice, bob")
            let again = try await api.request(.post, "/api/rooms/private", token: bob.token, json: #"{"username":"alice"}"#)
            #expect(again["id"] as? Int == opened["id"] as? Int)
            let cases: [(String?, String, Int, String)] = [
                (alice.token, #"{"username":"alice"}"#, 400, "You cannot chat with yourself"),
                (alice.token, #"{"username":"ghost"}"#, 404, "Unknown user: ghost"),
                (alice.token, #"{"user":"bob"}"#, 400, "Unknown field: user"),
                (nil, #"{"username":"bob"}"#, 401, ServiceError.notAuthenticatedMessage),
            ]
            for (token, json, status, error) in cases {
                let reply = try await api.request(.post, "/api/rooms/private", token: token, json: json)
                #expect(reply.status == status && reply.error == error, "\(json): \(reply.body)")
            }
            #expect(try await api.request(.get, "/api/rooms", token: alice.token).list.count == 1)
        }
    }
}
