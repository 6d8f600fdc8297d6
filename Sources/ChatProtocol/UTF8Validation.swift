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
        for byte in bytes {
            if remaining > 0 {
                guard byte >= lower, byte <= upper else { return false }
                remaining -= 1
                lower = 0x80
                upper = 0xBF
                continue
            }
            switch byte {
            case 0x00...0x7F: continue
            case 0xC2...0xDF: remaining = 1
            case 0xE0: remaining = 2; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: remaining = 2
            case 0xED: remaining = 2; upper = 0x9F
            case 0xF0: remaining = 3; lower = 0x90
            case 0xF1...0xF3: remaining = 3
            case 0xF4: remaining = 3; upper = 0x8F
            default: return false
            }
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
