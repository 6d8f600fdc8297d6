@testable import ChatServer
import NIOWebSocket
import Synchronization
import Testing

/// RFC 6455 at the frame level, on the wire: what must fail the connection (1002, 1007), how a
/// client's close is answered, and what stays a chat-level refusal.
@Suite struct WireRulesTests {
    /// Opens alice's socket on the lobby, runs `steps` on it (blocking) and returns what the server
    /// sent until its close frame, with the number of messages stored in the lobby afterwards.
    private func exchange(_ steps: @escaping @Sendable (RawClient) throws -> Void) async throws -> (frames: [RawClient.Frame], stored: Int) {
        let result = Mutex<([RawClient.Frame], Int)>(([], -1))
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let lobby = try await api.room("lobby", token: alice.token)
            let frames = try await RawClient.run { () throws -> [RawClient.Frame] in
                let client = try RawClient(port: api.port)
                guard try client.upgrade("/ws/chat/lobby/?token=\(alice.token)") == 101 else { return [] }
                try steps(client)
                return client.framesUntilClose()
            }
            let stored = try await api.request(.get, "/api/rooms/\(lobby)/messages", token: alice.token).list.count
            result.withLock { $0 = (frames, stored) }
        }
        return result.withLock { $0 }
    }

    @Test(arguments: [(true, false, false), (false, true, false), (false, false, true)])
    func reservedBitsFailTheConnection(_ rsv1: Bool, _ rsv2: Bool, _ rsv3: Bool) async throws {
        let (frames, stored) = try await exchange { client in
            try client.send(.text, rsv1: rsv1, rsv2: rsv2, rsv3: rsv3, Array(#"{"message":"x"}"#.utf8))
        }
        #expect(frames.map(\.opcode) == [.connectionClose])
        #expect(frames.last?.closeCode == 1002)
        #expect(frames.last?.closeReason == "Reserved bits set without a negotiated extension")
        #expect(stored == 0)
    }

    @Test func reservedBitsOnAControlFrameFailTheConnection() async throws {
        let (frames, _) = try await exchange { client in try client.send(.ping, rsv2: true, [1, 2]) }
        #expect(frames.map(\.opcode) == [.connectionClose], "no pong")
        #expect(frames.last?.closeCode == 1002)
    }

    @Test func reservedBitsOnACloseFrameFailTheConnection() async throws {
        let (frames, _) = try await exchange { client in try client.send(.connectionClose, rsv1: true, rsv2: true, rsv3: true, [0x03, 0xE8]) }
        #expect(frames.map(\.opcode) == [.connectionClose])
        #expect(frames.last?.closeCode == 1002, "not an answer to a normal close")
    }

    @Test(arguments: [3, 7, 0xB, 0xF] as [UInt8])
    func reservedOpcodesFailTheConnection(_ opcode: UInt8) async throws {
        let (frames, _) = try await exchange { client in
            try client.send(WebSocketOpcode(encodedWebSocketOpcode: opcode)!, Array("x".utf8))
        }
        #expect(frames.map(\.opcode) == [.connectionClose])
        #expect(frames.last?.closeCode == 1002)
        #expect(frames.last?.closeReason == "Reserved opcode \(opcode)")
    }

    @Test func textThatIsNotUTF8FailsTheConnectionWith1007() async throws {
        let (frames, stored) = try await exchange { client in
            try client.send(.text, [0x7B, 0x22, 0x6D, 0x65, 0x73, 0x73, 0x61, 0x67, 0x65, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D])
        }
        #expect(frames.map(\.opcode) == [.connectionClose])
        #expect(frames.last?.closeCode == 1007)
        #expect(frames.last?.closeReason == "Text message is not valid UTF-8")
        #expect(stored == 0)
    }

    @Test func invalidUTF8FailsAsSoonAsTheFragmentThatShowsItArrives() async throws {
        // The message's last fragment is never sent: the close must come without it.
        let (frames, stored) = try await exchange { client in
            try client.send(.text, fin: false, Array(#"{"message":"κόσμε"#.utf8))
            try client.send(.continuation, fin: false, [0xF4, 0x90])
        }
        #expect(frames.map(\.opcode) == [.connectionClose])
        #expect(frames.last?.closeCode == 1007)
        #expect(stored == 0)
    }

    @Test func aMessageEndingInsideACharacterFailsWith1007() async throws {
        let (frames, _) = try await exchange { client in
            try client.send(.text, fin: false, Array(#"{"message":"#.utf8))
            try client.send(.continuation, fin: true, [0xF0, 0x9F, 0x98])
        }
        #expect(frames.last?.closeCode == 1007)
    }

    @Test func aCharacterSplitAcrossFragmentsIsFine() async throws {
        let emoji = Array("😀".utf8)
        let texts = TextLog()
        let (frames, stored) = try await exchange { client in
            try client.send(.text, fin: false, Array(#"{"message":"a"#.utf8) + emoji.prefix(2))
            try client.send(.continuation, fin: true, Array(emoji.dropFirst(2)) + Array(#""}"#.utf8))
            texts.append(client.nextText())  // the message's frame, then close normally
            try client.sendClose(payload: [0x03, 0xE8])
        }
        #expect(texts.all.first??.contains(#""message":"a😀""#) == true)
        #expect(frames.last?.closeCode == 1000)
        #expect(stored == 1)
    }

    @Test(arguments: [
        ([], 1000),                                     // no payload: a normal close
        ([0x03, 0xE8], 1000),                           // 1000 is echoed
        ([0x03, 0xE9] + Array("bye".utf8), 1001),       // a code with a reason
        ([0x0F, 0xA0], 4000),                           // an application's code
        ([0x0B, 0xB8], 3000),                           // a library's code
        ([0x03, 0xF4], 1012),                           // registered since RFC 6455 (service restart)
        ([0x03], 1002),                                 // one byte
        ([0x03, 0xED], 1002),                           // 1005 is never sent
        ([0x03, 0xEE], 1002),                           // nor 1006
        ([0x03, 0xE7], 1002),                           // 999
        ([0x0B, 0xB7], 1002),                           // 2999
        ([0x13, 0x88], 1002),                           // 5000
        ([0x03, 0xE8, 0xCE, 0xBA, 0xFF], 1007),         // a reason that is not UTF-8
    ] as [([UInt8], Int)])
    func aClientsCloseIsAnsweredByTheRules(_ payload: [UInt8], _ answer: Int) async throws {
        let (frames, _) = try await exchange { client in try client.sendClose(payload: payload) }
        #expect(frames.map(\.opcode) == [.connectionClose])
        #expect(frames.last?.closeCode == answer)
    }

    @Test func aBinaryFrameIsRefusedByTheChatAndTheSocketStaysOpen() async throws {
        let texts = TextLog()
        let (frames, stored) = try await exchange { client in
            try client.send(.binary, [1, 2, 3])
            texts.append(client.nextText())
            try client.send(text: #"{"message":"still here"}"#)
            texts.append(client.nextText())
            try client.sendClose(payload: [0x03, 0xE8])
        }
        #expect(texts.all.first == #"{"type":"error","error":"Binary frames are not supported"}"#)
        #expect(texts.all.last??.contains(#""message":"still here""#) == true)
        #expect(frames.map(\.opcode) == [.connectionClose])
        #expect(frames.last?.closeCode == 1000)
        #expect(stored == 1)
    }

    @Test func aPingIsAnsweredWithItsPayload() async throws {
        let (frames, _) = try await exchange { client in
            try client.send(.ping, Array("are you there".utf8))
            guard let pong = client.nextFrame(), pong.opcode == .pong, pong.text == "are you there" else {
                throw RawClient.Failure.malformedResponse
            }
            try client.sendClose(payload: [])
        }
        #expect(frames.last?.closeCode == 1000)
    }
}

/// Text frames a blocking exchange read, for the test to check afterwards.
private final class TextLog: @unchecked Sendable {
    // Written by the exchange's thread, read once it has finished.
    private(set) var all: [String?] = []

    func append(_ text: String?) { all.append(text) }
}
