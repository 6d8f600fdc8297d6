/// Checks bytes for well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing
/// above U+10FFFF, no truncated sequences.
///
/// The check is incremental: bytes can be fed in pieces (a WebSocket text message arrives in
/// fragments), and a piece fails as soon as it cannot be the start of well-formed UTF-8, before
/// the rest arrives (RFC 6455 §8.1: fail fast).
public struct UTF8Validation: Sendable {
    /// Continuation bytes the current character still needs.
    private var remaining = 0
    /// The range the next continuation byte must fall in (narrower than 0x80...0xBF right after
    /// some lead bytes, which is what rules out overlong forms, surrogates and values past
    /// U+10FFFF).
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    /// A check with nothing fed yet.
    public init() {}

    /// Feeds the next bytes; false as soon as what was fed is not the start of well-formed UTF-8.
    public mutating func feed<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> Bool {
        if let result = bytes.withContiguousStorageIfAvailable({ feed(UnsafeRawBufferPointer($0)) }) { return result }
        for byte in bytes where !take(byte) { return false }
        return true
    }

    /// Feeds the next bytes from contiguous memory (a received frame's payload): between
    /// characters, runs of ASCII are skipped eight bytes at a time.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            if remaining == 0 {
                while index + 8 <= count, bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    index += 8
                }
                guard index < count else { break }
            }
            guard take(bytes[index]) else { return false }
            index += 1
        }
        return true
    }

    /// Takes one byte; false when it cannot continue well-formed UTF-8.
    private mutating func take(_ byte: UInt8) -> Bool {
        if remaining > 0 {
            guard byte >= lower, byte <= upper else { return false }
            remaining -= 1
            lower = 0x80
            upper = 0xBF
            return true
        }
        switch byte {
        case 0x00...0x7F: break
        case 0xC2...0xDF: remaining = 1
        case 0xE0: remaining = 2; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: remaining = 2
        case 0xED: remaining = 2; upper = 0x9F
        case 0xF0: remaining = 3; lower = 0x90
        case 0xF1...0xF3: remaining = 3
        case 0xF4: remaining = 3; upper = 0x8F
        default: return false
        }
        return true
    }

    /// Whether what was fed ends with a complete character.
    public var isComplete: Bool { remaining == 0 }

    /// Whether `bytes` are well-formed UTF-8.
    public static func isValid<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> Bool {
        var validation = UTF8Validation()
        return validation.feed(bytes) && validation.isComplete
    }
}
