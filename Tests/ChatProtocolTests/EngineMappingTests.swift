import ChatEngine
import ChatProtocol
import Testing

@Suite("Mapping engine values to wire bodies and frames")
struct EngineMappingTests {
    @Test func messageToBodyAndFrame() throws {
        let message = Message(id: MessageID(12), room: RoomID(4), seq: 3, sender: UserID(2), text: "Hé \"there\" 😀",
                              clientMessageID: nil, sentAt: Instant(milliseconds: 1_795_672_160_123))
        let body = MessageBody(message, username: "bob", roomName: "alice, bob")
        #expect(body == MessageBody(id: 12, roomID: 4, room: "alice, bob", seq: 3, username: "bob", message: "Hé \"there\" 😀",
                                    timestamp: "2026-11-26T05:49:20.123Z", clientMessageID: nil))
        let frame = ServerFrame.encodedMessage(message, username: "bob", roomName: "alice, bob")
        // The direct path and the body path produce the same bytes.
        #expect(frame == ServerFrame.message(body).encoded())
        #expect(try parsedByFoundation(frame) == [
            "type": "message", "id": 12, "room_id": 4, "room": "alice, bob", "seq": 3, "username": "bob",
            "message": "Hé \"there\" 😀", "timestamp": "2026-11-26T05:49:20.123Z",
        ])
    }

    @Test func clientMessageIDIsCarried() throws {
        let message = Message(id: MessageID(1), room: RoomID(1), seq: 1, sender: UserID(1), text: "x",
                              clientMessageID: "retry-1", sentAt: .zero)
        let body = MessageBody(message, username: "a", roomName: "lobby")
        #expect(body.clientMessageID == "retry-1")
        let frame = ServerFrame.encodedMessage(message, username: "a", roomName: "lobby")
        #expect(frame == ServerFrame.message(body).encoded())
        guard case .object(let fields) = try parsedByFoundation(frame) else { Issue.record("not an object"); return }
        #expect(fields["client_msg_id"] == "retry-1")
        #expect(fields["timestamp"] == "1970-01-01T00:00:00.000Z")
    }

    @Test func roomsAndUsers() {
        let group = Room(id: RoomID(2), kind: .group, name: "team", createdBy: UserID(1), createdAt: .zero, pair: nil)
        #expect(RoomBody(group, members: ["alice", "bob"]) == RoomBody(id: 2, name: "team", kind: "group", members: ["alice", "bob"]))
        let lobby = Room(id: RoomID(1), kind: .public, name: "lobby", createdBy: UserID(1), createdAt: .zero, pair: nil)
        #expect(RoomBody(lobby, members: []).kind == "public")
        let dm = Room(id: RoomID(3), kind: .private, name: "alice, bob", createdBy: UserID(1), createdAt: .zero, pair: UserPair(UserID(1), UserID(2)))
        #expect(RoomBody(dm, members: ["alice", "bob"]).kind == "private")
        #expect(UserBody(User(id: UserID(5), username: "Eve", registeredAt: .zero)) == UserBody(id: 5, username: "Eve"))
    }

    @Test func engineOutputEndToEnd() throws {
        var engine = ChatEngine()
        let now = Instant(milliseconds: 1_795_672_160_123)
        guard case .success(.user(let alice)) = engine.handle(.register(username: "alice"), at: now).result,
              case .success(.room(let lobby)) = engine.handle(.createPublicRoom(by: alice.id, name: "lobby"), at: now).result,
              case .success(.sent(let message)) = engine.handle(.send(by: alice.id, room: lobby.id, text: "hello", clientMessageID: "c1"), at: now).result
        else { Issue.record("engine refused"); return }
        let frame = ServerFrame.encodedMessage(message, username: alice.username, roomName: lobby.name)
        #expect(String(decoding: frame, as: UTF8.self)
            == #"{"type":"message","id":1,"room_id":1,"room":"lobby","seq":1,"username":"alice","message":"hello","timestamp":"2026-11-26T05:49:20.123Z","client_msg_id":"c1"}"#)
    }
}
