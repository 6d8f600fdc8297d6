/// The receive fast path of `chat-sim load`: reads the few fields it checks straight out of a
/// server frame's bytes, without decoding the JSON.
///
/// It relies on the server's field order (`type`, `id`, `room_id`, `room`, `seq`, `username`,
/// `message`, …) and on the load's own message text (`t=<ns> s=<sender> k=<counter>`); a frame
/// that does not fit is reported as `.unknown`, which the load counts as an error — so is any
/// frame type that seed sockets never send (presence, for one).
enum LoadFrameScanner {
    /// The fields of a message frame that the load checks.
    struct Message: Equatable {
        /// The message's global id.
        var id: Int
        /// The room's id.
        var roomID: Int
        /// The message's sequence number in its room.
        var seq: Int
        /// When it was sent: nanoseconds since the load's clock origin (`t=`).
        var sentAt: UInt64
        /// The sending socket's sender number (`s=`).
        var sender: Int
        /// The sender's counter for this message (`k=`).
        var counter: Int
    }

    /// What a frame is.
    enum Frame: Equatable {
        case message(Message)
        case typing
        case error
        case unknown
    }

    private static let typePrefix = Array(#"{"type":""#.utf8)
    private static let idKey = Array(#""id":"#.utf8)
    private static let roomIDKey = Array(#""room_id":"#.utf8)
    private static let seqKey = Array(#""seq":"#.utf8)
    private static let textKey = Array(#""message":"t="#.utf8)
    private static let senderKey = Array(" s=".utf8)
    private static let counterKey = Array(" k=".utf8)

    /// Classifies a text frame and, for a message, reads its checked fields.
    static func scan(_ bytes: UnsafeRawBufferPointer) -> Frame {
        guard bytes.count > typePrefix.count, startsWith(bytes, typePrefix, at: 0) else { return .unknown }
        switch bytes[typePrefix.count] {
        case UInt8(ascii: "m"):
            var position = typePrefix.count
            guard let id = integer(after: idKey, in: bytes, from: &position),
                  let roomID = integer(after: roomIDKey, in: bytes, from: &position),
                  let seq = integer(after: seqKey, in: bytes, from: &position),
                  let sentAt = integer(after: textKey, in: bytes, from: &position),
                  let sender = integer(after: senderKey, in: bytes, from: &position),
                  let counter = integer(after: counterKey, in: bytes, from: &position)
            else { return .unknown }
            return .message(Message(id: id, roomID: roomID, seq: seq, sentAt: UInt64(sentAt), sender: sender, counter: counter))
        case UInt8(ascii: "t"): return .typing
        case UInt8(ascii: "e"): return .error
        default: return .unknown
        }
    }

    /// Classifies a frame given as an array (for tests and callers without a buffer).
    static func scan(_ bytes: [UInt8]) -> Frame {
        bytes.withUnsafeBytes { scan($0) }
    }

    /// Finds `key` at or after `position`, then reads the non-negative decimal integer right
    /// after it; `position` moves past the digits. Most keys follow the previous field at once
    /// (or after its comma), so those two places are tried before searching.
    private static func integer(after key: [UInt8], in bytes: UnsafeRawBufferPointer, from position: inout Int) -> Int? {
        let start: Int
        if startsWith(bytes, key, at: position) {
            start = position
        } else if startsWith(bytes, key, at: position + 1) {
            start = position + 1
        } else if let found = find(key, in: bytes, from: position) {
            start = found
        } else {
            return nil
        }
        var index = start + key.count
        var value = 0
        let first = index
        while index < bytes.count, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
            value = value &* 10 &+ Int(digit)
            index += 1
        }
        guard index > first, index - first < 19 else { return nil }
        position = index
        return value
    }

    /// The offset of the first occurrence of `key` at or after `start`.
    private static func find(_ key: [UInt8], in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard let first = key.first, bytes.count >= key.count else { return nil }
        var index = start
        let last = bytes.count - key.count
        while index <= last {
            if bytes[index] == first, startsWith(bytes, key, at: index) { return index }
            index += 1
        }
        return nil
    }

    private static func startsWith(_ bytes: UnsafeRawBufferPointer, _ key: [UInt8], at offset: Int) -> Bool {
        guard offset + key.count <= bytes.count else { return false }
        for (index, byte) in key.enumerated() where bytes[offset + index] != byte { return false }
        return true
    }
}
