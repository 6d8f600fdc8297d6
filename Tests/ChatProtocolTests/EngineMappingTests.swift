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

    @Test func roomsWithTheirMembersAndAGroupsRolesAndUsers() throws {
        var engine = ChatEngine()
        let now = Instant(milliseconds: 0)
        guard case .success(.user(let alice)) = engine.handle(.register(username: "alice"), at: now).result,
              case .success(.user(let bob)) = engine.handle(.register(username: "bob"), at: now).result,
              case .success(.user) = engine.handle(.register(username: "carol"), at: now).result,
              case .success(.room(let lobby)) = engine.handle(.createPublicRoom(by: alice.id, name: "lobby"), at: now).result,
              case .success(.room(let team)) = engine.handle(.createGroup(by: alice.id, name: "team", members: []), at: now).result,
              case .success = engine.handle(.addMember(by: alice.id, room: team.id, username: "bob"), at: now).result,
              case .success = engine.handle(.addMember(by: alice.id, room: team.id, username: "carol"), at: now).result,
              case .success = engine.handle(.changeRole(by: alice.id, room: team.id, username: "bob", role: .admin), at: now).result,
              case .success(.room(let dm)) = engine.handle(.openPrivateRoom(by: bob.id, with: "alice"), at: now).result
        else { Issue.record("engine refused"); return }
        #expect(RoomBody(team, in: engine) == RoomBody(
            id: team.id.rawValue, name: "team", kind: "group", members: ["alice", "bob", "carol"],
            roles: ["alice": "owner", "bob": "admin", "carol": "member"]
        ))
        #expect(RoomBody(lobby, in: engine) == RoomBody(id: lobby.id.rawValue, name: "lobby", kind: "public", members: []))
        #expect(RoomBody(dm, in: engine).roles == nil)
        #expect(Set(RoomBody(dm, in: engine).members) == ["alice", "bob"])
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
