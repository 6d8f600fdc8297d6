import ChatEngine
import ChatProtocol
import Testing

@Suite("v1 frames: client frames parse strictly, server frames encode to docs/protocol.md's JSON")
struct V1FrameTests {
    let message = Message(id: MessageID(41), room: RoomID(3), seq: 7, sender: UserID(2), text: "Hi \"Bob\"!", clientMessageID: "c-9", sentAt: Instant(milliseconds: 1_764_568_800_123))

    private func text(_ frame: V1ServerFrame) -> String { String(decoding: frame.encoded(), as: UTF8.self) }

    @Test func messagesAsPushesAcksAndDeletedOrEdited() {
        let v1 = V1Message(message, username: "alice")
        let object = #"{"id":41,"room":3,"seq":7,"user":{"id":2,"username":"alice"},"text":"Hi \"Bob\"!","sent_at":"2025-12-01T06:00:00.123Z","client_msg_id":"c-9"}"#
        #expect(text(.message(v1)) == #"{"type":"message","room":3,"message":"# + object + "}")
        #expect(text(.ack(id: 5, message: v1, duplicate: false)) == #"{"type":"ack","id":5,"message":"# + object + "}")
        #expect(text(.ack(id: nil, message: v1, duplicate: true)) == #"{"type":"ack","message":"# + object + #","duplicate":true}"#)
        let edited = V1Message(message.edited(to: "x", at: Instant(milliseconds: 1_764_568_801_000)), username: "alice")
        #expect(text(.edited(edited)).hasSuffix(#""text":"x","sent_at":"2025-12-01T06:00:00.123Z","client_msg_id":"c-9","edited_at":"2025-12-01T06:00:01.000Z"}}"#))
        let deleted = V1Message(message.deleted, username: "alice")
        #expect(text(.history(id: 1, room: RoomID(3), messages: [deleted])).contains(#""text":null,"sent_at":"2025-12-01T06:00:00.123Z","client_msg_id":"c-9","deleted":true}"#))
    }

    @Test func answersAndPushes() {
        let alice = UserBody(id: 2, username: "alice")
        #expect(text(.hello(user: alice, session: "17")) == #"{"type":"hello","user":{"id":2,"username":"alice"},"session":"17"}"#)
        #expect(text(.subscribed(id: 1, room: RoomID(3), epoch: "e1", lastSeq: 9, readSeq: 4, recovered: false, messages: []))
            == #"{"type":"subscribed","id":1,"room":3,"epoch":"e1","last_seq":9,"read_seq":4,"recovered":false,"messages":[]}"#)
        #expect(text(.ok(id: nil)) == #"{"type":"ok"}"#)
        #expect(text(.typing(room: RoomID(3), user: alice, isTyping: true)) == #"{"type":"typing","room":3,"user":{"id":2,"username":"alice"},"typing":true}"#)
        #expect(text(.presence(room: RoomID(3), user: alice, isOnline: false)) == #"{"type":"presence","room":3,"user":{"id":2,"username":"alice"},"online":false}"#)
        #expect(text(.membership(room: RoomID(3), user: alice, change: "role", role: .admin)) == #"{"type":"membership","room":3,"user":{"id":2,"username":"alice"},"change":"role","role":"admin"}"#)
        #expect(text(.room(RoomBody(id: 3, name: "team", kind: "group", members: ["alice"]))) == #"{"type":"room","room":{"id":3,"name":"team","kind":"group","members":["alice"]}}"#)
        #expect(text(.unsubscribed(room: RoomID(3), reason: "removed")) == #"{"type":"unsubscribed","room":3,"reason":"removed"}"#)
        #expect(text(.read(room: RoomID(3), seq: 7)) == #"{"type":"read","room":3,"seq":7}"#)
        #expect(text(.deleted(room: RoomID(3), messageID: MessageID(41), seq: 7)) == #"{"type":"deleted","room":3,"message_id":41,"seq":7}"#)
        #expect(text(.error(id: 8, code: "not_member", message: "You are not a member of this room")) == #"{"type":"error","id":8,"code":"not_member","error":"You are not a member of this room"}"#)
    }

    @Test func everyClientFrameParses() throws {
        let cases: [(String, V1ClientFrame)] = [
            (#"{"id":1,"type":"subscribe","room":3,"after_seq":9,"epoch":"e"}"#, V1ClientFrame(id: 1, request: .subscribe(room: RoomID(3), afterSeq: 9, epoch: "e"))),
            (#"{"type":"subscribe","room":3,"after_seq":null}"#, V1ClientFrame(id: nil, request: .subscribe(room: RoomID(3), afterSeq: nil, epoch: nil))),
            (#"{"id":2,"type":"unsubscribe","room":3}"#, V1ClientFrame(id: 2, request: .unsubscribe(room: RoomID(3)))),
            (#"{"type":"send","room":3,"text":"hi","client_msg_id":"c"}"#, V1ClientFrame(id: nil, request: .send(room: RoomID(3), text: "hi", clientMessageID: "c"))),
            (#"{"type":"typing","room":3,"typing":false}"#, V1ClientFrame(id: nil, request: .typing(room: RoomID(3), isTyping: false))),
            (#"{"type":"read","room":3,"seq":0}"#, V1ClientFrame(id: nil, request: .read(room: RoomID(3), seq: 0))),
            (#"{"type":"edit","message_id":41,"text":"x"}"#, V1ClientFrame(id: nil, request: .edit(message: MessageID(41), text: "x"))),
            (#"{"type":"delete","message_id":41}"#, V1ClientFrame(id: nil, request: .delete(message: MessageID(41)))),
            (#"{"type":"history","room":3,"before_seq":5,"limit":20}"#, V1ClientFrame(id: nil, request: .history(room: RoomID(3), beforeSeq: 5, limit: 20))),
        ]
        for (text, frame) in cases {
            #expect(try V1ClientFrame.parse(text: text) == frame, "\(text)")
        }
    }

    @Test func badClientFramesSayWhyAndKeepTheirID() {
        let cases: [(String, Int64?, String)] = [
            ("not json", nil, "Invalid JSON"),
            ("[1]", nil, "Invalid JSON"),
            (#"{"id":"1","type":"ok"}"#, nil, "Field 'id' must be an integer"),
            (#"{"id":1}"#, 1, "Missing field: type"),
            (#"{"id":2,"type":null}"#, 2, "Field 'type' must be a string"),
            (#"{"id":3,"type":"fly"}"#, 3, "Unknown frame type: fly"),
            (#"{"id":4,"type":"send","room":1}"#, 4, "Missing field: text"),
            (#"{"id":5,"type":"send","room":1,"text":"x","username":"eve"}"#, 5, "Unknown field: username"),
            (#"{"id":6,"type":"read","room":1,"seq":1.5}"#, 6, "Field 'seq' must be an integer"),
            (#"{"id":7,"type":"typing","room":1}"#, 7, "Missing field: typing"),
            (#"{"id":8,"type":"room","room":1,"room":2}"#, nil, "Duplicate field: room"),
        ]
        for (text, id, message) in cases {
            #expect(throws: V1FrameError.self, "\(text)") { try V1ClientFrame.parse(text: text) }
            do throws(V1FrameError) {
                _ = try V1ClientFrame.parse(text: text)
            } catch {
                #expect(error.id == id, "\(text)")
                #expect(error.error.message == message, "\(text)")
            }
        }
    }
}
