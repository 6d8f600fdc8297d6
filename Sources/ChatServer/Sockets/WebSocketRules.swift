import ChatProtocol
import NIOCore
import NIOWebSocket

/// The rules of RFC 6455 that NIO's frame decoder leaves to the application: reserved bits and
/// opcodes, the order of fragments, UTF-8 in text messages, and what a close frame may carry.
/// (The decoder itself refuses oversized frames and fragmented or long control frames.)
enum WebSocketRules {
    /// Why the connection fails: the close code and the reason sent with it.
    struct Failure: Error, Equatable {
        /// 1002 (protocol error) or 1007 (data inconsistent with the message type).
        let code: UInt16
        /// The close frame's reason, for people reading a capture or a browser's close event.
        let reason: String
        /// The `reason` label of the rejected-frames metric.
        let metric: String

        static func protocolError(_ reason: String) -> Failure { Failure(code: 1002, reason: reason, metric: "protocol") }
        static func invalidUTF8(_ reason: String) -> Failure { Failure(code: 1007, reason: reason, metric: "invalid_utf8") }
    }

    static let reservedBits = Failure.protocolError("Reserved bits set without a negotiated extension")
    static let unexpectedContinuation = Failure.protocolError("Continuation frame without a message to continue")
    static let unfinishedMessage = Failure.protocolError("New message before the previous one's last frame")
    static let invalidText = Failure.invalidUTF8("Text message is not valid UTF-8")
    static let oneByteClose = Failure.protocolError("Close frame with a 1-byte payload")
    static let invalidCloseReason = Failure.invalidUTF8("Close reason is not valid UTF-8")

    static func reservedOpcode(_ opcode: WebSocketOpcode) -> Failure {
        Failure.protocolError("Reserved opcode \(UInt8(webSocketOpcode: opcode))")
    }

    static func invalidCloseCode(_ code: UInt16) -> Failure {
        Failure.protocolError("Invalid close code \(code)")
    }

    /// What is wrong with a frame whatever its place in a message: reserved bits (no extension
    /// is ever negotiated here) or a reserved opcode.
    static func violation(of frame: WebSocketFrame) -> Failure? {
        if frame.rsv1 || frame.rsv2 || frame.rsv3 { return reservedBits }
        switch frame.opcode {
        case .continuation, .text, .binary, .connectionClose, .ping, .pong: return nil
        default: return reservedOpcode(frame.opcode)
        }
    }

    /// The code to answer a client's close frame with: the client's own code when its payload
    /// is valid (1000 when it has none), else the failure's code (RFC 6455 §5.5.1, §7.4).
    static func answer(toClose payload: ByteBuffer) -> UInt16 {
        switch closeViolation(payload) {
        case .some(let failure): failure.code
        case nil: payload.getInteger(at: payload.readerIndex, as: UInt16.self) ?? 1000
        }
    }

    /// What is wrong with a close frame's payload: one byte, a code that may not be sent, or a
    /// reason that is not UTF-8.
    static func closeViolation(_ payload: ByteBuffer) -> Failure? {
        guard payload.readableBytes != 0 else { return nil }
        guard let code = payload.getInteger(at: payload.readerIndex, as: UInt16.self) else { return oneByteClose }
        guard mayBeSent(closeCode: code) else { return invalidCloseCode(code) }
        let reason = payload.readableBytesView.dropFirst(2)
        return UTF8Validation.isValid(reason) ? nil : invalidCloseReason
    }

    /// Whether a peer may send `code` in a close frame: the codes RFC 6455 defines for use in
    /// frames (1000–1003, 1007–1011), those IANA registered since (1012–1014), and the ranges
    /// for libraries (3000–3999) and applications (4000–4999). 1004–1006 and 1015 are reserved
    /// or only reported locally.
    static func mayBeSent(closeCode code: UInt16) -> Bool {
        switch code {
        case 1000...1003, 1007...1014, 3000...4999: true
        default: false
        }
    }
}
