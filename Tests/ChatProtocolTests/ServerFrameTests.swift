import ChatEngine
import ChatProtocol
import Testing

@Suite("Server frames and REST bodies encode to the contract's JSON")
struct ServerFrameTests {
    let body = MessageBody(id: 41, roomID: 3, room: "lobby", seq: 7, username: "alice", message: "Hi \"Bob\"!",
                           timestamp: "2026-11-26T05:49:20.123Z")

    @Test func messageFrame() throws {
        let bytes = ServerFrame.message(body).encoded()
        #expect(String(decoding: bytes, as: UTF8.self)
            == #"{"type":"message","id":41,"room_id":3,"room":"lobby","seq":7,"username":"alice","message":"Hi \"Bob\"!","timestamp":"2026-11-26T05:49:20.123Z"}"#)
        #expect(try parsedByFoundation(bytes) == [
            "type": "message", "id": 41, "room_id": 3, "room": "lobby", "seq": 7, "username": "alice",
            "message": "Hi \"Bob\"!", "timestamp": "2026-11-26T05:49:20.123Z",
        ])
    }

    @Test func messageFrameWithClientMessageID() throws {
        var body = body
        body.clientMessageID = "c-9"
        let bytes = ServerFrame.message(body).encoded()
        #expect(try parsedByFoundation(bytes) == [
            "type": "message", "id": 41, "room_id": 3, "room": "lobby", "seq": 7, "username": "alice",
            "message": "Hi \"Bob\"!", "timestamp": "2026-11-26T05:49:20.123Z", "client_msg_id": "c-9",
        ])
    }

    @Test func typingFrames() throws {
        let started = ServerFrame.typing(room: "alice, bob", username: "bob", isTyping: true)
        #expect(started.encodedString() == #"{"type":"typing","room":"alice, bob","username":"bob","typing":true}"#)
        #expect(try parsedByFoundation(started.encoded()) == ["type": "typing", "room": "alice, bob", "username": "bob", "typing": true])
        let stopped = ServerFrame.typing(room: "lobby", username: "bob", isTyping: false)
        #expect(try parsedByFoundation(stopped.encoded()) == ["type": "typing", "room": "lobby", "username": "bob", "typing": false])
    }

    @Test func seedSocketsGetNoPresenceOrMembershipFrames() throws {
        // Old clients take any frame that is not typing or error for a message.
        let engine = ChatEngine(configuration: ChatConfiguration())
        #expect(SeedFrames.encode(.presence(RoomID(1), UserID(1), isOnline: true), in: engine) == nil)
        #expect(SeedFrames.encode(.presence(RoomID(1), UserID(1), isOnline: false), in: engine) == nil)
        #expect(SeedFrames.encode(.membership(RoomID(1), .removed(UserID(2))), in: engine) == nil)
        let typing = try #require(SeedFrames.encode(.typing(RoomID(1), UserID(1), isTyping: true), in: engine))
        #expect(String(decoding: typing.frame, as: UTF8.self).hasPrefix(#"{"type":"typing""#))
    }

    @Test func errorFrames() throws {
        let frame = ServerFrame.error("You are not a member of this room")
        #expect(frame.encodedString() == #"{"type":"error","error":"You are not a member of this room"}"#)
        #expect(ServerFrame.error(WireError.binaryFrame).encodedString() == #"{"type":"error","error":"Binary frames are not supported"}"#)
        #expect(try parsedByFoundation(ServerFrame.error(.unknownFrameType("x\"y")).encoded()) == ["type": "error", "error": "Unknown frame type: x\"y"])
    }

    @Test func restBodies() throws {
        #expect(try parsedByFoundation(WireEncoder.encode(body)) == [
            "id": 41, "room_id": 3, "room": "lobby", "seq": 7, "username": "alice",
            "message": "Hi \"Bob\"!", "timestamp": "2026-11-26T05:49:20.123Z",
        ])
        #expect(WireEncoder.encodeString(UserBody(id: 1, username: "alice")) == #"{"id":1,"username":"alice"}"#)
        #expect(WireEncoder.encodeString(LoginResponse(token: "t0k", user: UserBody(id: 1, username: "alice")))
            == #"{"token":"t0k","user":{"id":1,"username":"alice"}}"#)
        #expect(WireEncoder.encodeString(RoomBody(id: 2, name: "team", kind: "group", members: ["alice", "bob"]))
            == #"{"id":2,"name":"team","kind":"group","members":["alice","bob"]}"#)
        #expect(WireEncoder.encodeString(RoomBody(id: 2, name: "team", kind: "group", members: ["bob", "alice"], roles: ["alice": "owner", "bob": "admin"]))
            == #"{"id":2,"name":"team","kind":"group","members":["bob","alice"],"roles":{"bob":"admin","alice":"owner"}}"#)
        #expect(WireEncoder.encodeString(RoomBody(id: 1, name: "lobby", kind: "public", members: []))
            == #"{"id":1,"name":"lobby","kind":"public","members":[]}"#)
        #expect(WireEncoder.encodeString(ErrorBody(error: "Invalid username or password")) == #"{"error":"Invalid username or password"}"#)
        #expect(WireEncoder.encodeString([UserBody(id: 1, username: "a"), UserBody(id: 2, username: "b")])
            == #"[{"id":1,"username":"a"},{"id":2,"username":"b"}]"#)
        #expect(WireEncoder.encodeString([UserBody]()) == "[]")
    }

    @Test(arguments: [Int64.min, -1, 0, 1, 9, 10, 1234567890, Int64.max])
    func integers(_ value: Int64) throws {
        var writer = JSONWriter()
        writer.beginArray()
        writer.integer(value)
        writer.null()
        writer.endArray()
        #expect(writer.string == "[\(value),null]")
    }
}
