import ChatProtocol
import Testing

@Suite("Client WebSocket frames")
struct ClientFrameTests {
    @Test func sendFrames() throws {
        #expect(try ClientFrame.parse(text: #"{"message":"hello"}"#) == .send(text: "hello", claimedUsername: nil, clientMessageID: nil))
        #expect(try ClientFrame.parse(text: #"{"type":"message","message":"hi"}"#) == .send(text: "hi", claimedUsername: nil, clientMessageID: nil))
        #expect(try ClientFrame.parse(text: #"{"message":"hi","username":"alice"}"#) == .send(text: "hi", claimedUsername: "alice", clientMessageID: nil))
        #expect(try ClientFrame.parse(text: #"{"message":"hi","client_msg_id":"c1","username":"alice","type":"message"}"#)
            == .send(text: "hi", claimedUsername: "alice", clientMessageID: "c1"))
        #expect(try ClientFrame.parse(text: #"{"message":"hi","username":null,"client_msg_id":null,"type":null}"#)
            == .send(text: "hi", claimedUsername: nil, clientMessageID: nil))
        // Empty and whitespace texts are the engine's to refuse, not the parser's.
        #expect(try ClientFrame.parse(text: #"{"message":"  "}"#) == .send(text: "  ", claimedUsername: nil, clientMessageID: nil))
        #expect(try ClientFrame.parse(Array(#"{"message":"😀\n"}"#.utf8)) == .send(text: "😀\n", claimedUsername: nil, clientMessageID: nil))
    }

    @Test func typingFrames() throws {
        #expect(try ClientFrame.parse(text: #"{"type":"typing"}"#) == .typing(isTyping: true))
        #expect(try ClientFrame.parse(text: #"{"type":"typing","typing":true}"#) == .typing(isTyping: true))
        #expect(try ClientFrame.parse(text: #"{"type":"typing","typing":false}"#) == .typing(isTyping: false))
        #expect(try ClientFrame.parse(text: #"{"type":"typing","typing":null}"#) == .typing(isTyping: true))
    }

    @Test func errors() {
        #expect(frameError("hello") == "Invalid JSON")
        #expect(frameError(#"["message"]"#) == "Invalid JSON")
        #expect(frameError(#""message""#) == "Invalid JSON")
        #expect(frameError(#"{"type":"presence"}"#) == "Unknown frame type: presence")
        #expect(frameError(#"{"type":""}"#) == "Unknown frame type: ")
        #expect(frameError(#"{"type":"Typing"}"#) == "Unknown frame type: Typing")
        #expect(frameError(#"{"type":1}"#) == "Field 'type' must be a string")
        #expect(frameError("{}") == "Missing field: message")
        #expect(frameError(#"{"type":"message"}"#) == "Missing field: message")
        #expect(frameError(#"{"message":null}"#) == "Missing field: message")
        #expect(frameError(#"{"message":5}"#) == "Field 'message' must be a string")
        #expect(frameError(#"{"message":"x","username":5}"#) == "Field 'username' must be a string")
        #expect(frameError(#"{"message":"x","client_msg_id":5}"#) == "Field 'client_msg_id' must be a string")
        #expect(frameError(#"{"message":"x","room":"lobby"}"#) == "Unknown field: room")
        #expect(frameError(#"{"message":"x","typing":true}"#) == "Unknown field: typing")
        #expect(frameError(#"{"type":"typing","message":"x"}"#) == "Unknown field: message")
        #expect(frameError(#"{"type":"typing","typing":"no"}"#) == "Field 'typing' must be a boolean")
        #expect(frameError(#"{"type":"typing","typing":0}"#) == "Field 'typing' must be a boolean")
        #expect(frameError(#"{"message":"a","message":"b"}"#) == "Duplicate field: message")
    }

    @Test func invalidUTF8() {
        #expect(throws: WireError.invalidUTF8) { try ClientFrame.parse([0x7B, 0x22, 0x6D, 0xFF, 0x22, 0x7D] as [UInt8]) }
    }
}
