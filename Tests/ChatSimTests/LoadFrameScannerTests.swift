import ChatEngine
import ChatProtocol
@testable import chat_sim
import Testing

/// The load generator reads frames without a JSON decoder; these pin its fast path to the
/// frames the server really sends (encoded by `ChatProtocol`, as the server encodes them).
@Suite struct LoadFrameScannerTests {
    @Test func aMessageFrameIsReadInPlace() {
        let message = Message(
            id: MessageID(42), room: RoomID(7), seq: 19, sender: UserID(3),
            text: "t=123456789 s=5 k=77", clientMessageID: nil, sentAt: Instant(milliseconds: 1_764_000_000_000)
        )
        let frame = ServerFrame.encodedMessage(message, username: "load-3", roomName: "load-7")
        #expect(LoadFrameScanner.scan(frame) == .message(.init(id: 42, roomID: 7, seq: 19, sentAt: 123_456_789, sender: 5, counter: 77)))
    }

    /// Names holding the keys' words make the search pass over false starts.
    @Test func namesThatLookLikeKeysAreSkipped() {
        let message = Message(
            id: MessageID(5), room: RoomID(2), seq: 3, sender: UserID(4), text: "t=8 s=1 k=2", clientMessageID: nil, sentAt: .zero
        )
        let frame = ServerFrame.encodedMessage(message, username: "\"message\" s=9", roomName: "seq \"seq\"")
        #expect(LoadFrameScanner.scan(frame) == .message(.init(id: 5, roomID: 2, seq: 3, sentAt: 8, sender: 1, counter: 2)))
    }

    @Test func otherFramesAreToldApart() {
        #expect(LoadFrameScanner.scan(ServerFrame.typing(room: "r", username: "u", isTyping: true).encoded()) == .typing)
        #expect(LoadFrameScanner.scan(ServerFrame.error("Message is empty").encoded()) == .error)
        #expect(LoadFrameScanner.scan(Array("not a frame".utf8)) == .unknown)
        // Seed sockets never send presence: one would count as unreadable, an error of the run.
        #expect(LoadFrameScanner.scan(Array(#"{"type":"presence","room":"r","username":"u","online":true}"#.utf8)) == .unknown)
    }

    @Test func aMessageNotSentByTheLoadIsNotMistakenForOne() {
        let message = Message(id: MessageID(1), room: RoomID(1), seq: 1, sender: UserID(1), text: "hello", clientMessageID: nil, sentAt: .zero)
        #expect(LoadFrameScanner.scan(ServerFrame.encodedMessage(message, username: "a", roomName: "b")) == .unknown)
    }

    @Test func theSentTextMatchesWhatTheScannerReads() {
        let json = LoadSocketHandler.sendFrameJSON(sentAt: 99, sender: 2, counter: 3)
        #expect(json == #"{"message":"t=99 s=2 k=3"}"#)
    }
}
