import ChatProtocol
import Testing

@Suite("UTF-8 validation, whole and in pieces")
struct UTF8ValidationTests {
    @Test(arguments: [
        Array("plain ASCII".utf8),
        Array("κόσμε é中😀".utf8),
        [0xF4, 0x8F, 0xBF, 0xBF],  // U+10FFFF, the last code point
        [0xED, 0x9F, 0xBF],        // U+D7FF, just below the surrogates
        [],
    ] as [[UInt8]])
    func wellFormedTextIsValid(_ bytes: [UInt8]) {
        #expect(UTF8Validation.isValid(bytes))
    }

    @Test(arguments: [
        [0xC0, 0xAF],              // overlong
        [0xED, 0xA0, 0x80],        // a surrogate
        [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
        [0xF0, 0x9F, 0x98],        // truncated
        [0x80],                    // a lone continuation byte
        [0xFF],                    // never in UTF-8
    ] as [[UInt8]])
    func malformedTextIsInvalid(_ bytes: [UInt8]) {
        #expect(!UTF8Validation.isValid(bytes))
    }

    @Test func aCharacterSplitAcrossPiecesIsValid() {
        let emoji: [UInt8] = [0xF0, 0x9F, 0x98, 0x80]
        for split in 1..<emoji.count {
            var validation = UTF8Validation()
            let head = validation.feed(emoji[..<split])
            #expect(head && !validation.isComplete, "only \(split) of 4 bytes")
            let rest = validation.feed(emoji[split...])
            #expect(rest && validation.isComplete)
        }
    }

    @Test func aPieceFailsAsSoonAsItCannotStartWellFormedText() {
        // The Autobahn suite's case 6.4.4: "κόσμε" then F4 90, which no continuation can repair.
        var validation = UTF8Validation()
        let valid = validation.feed(Array("κόσμε".utf8))
        let broken = validation.feed([0xF4, 0x90])
        #expect(valid && !broken)
        // A lead byte alone is still a possible start.
        var pending = UTF8Validation()
        let lead = pending.feed([0xF4])
        #expect(lead && !pending.isComplete)
    }

    /// The contiguous path (ASCII skipped eight bytes at a time) agrees with the standard
    /// library's own validation on every concatenation of three pieces — ASCII runs across the
    /// eight-byte steps, characters of every length, stray and truncated bytes — fed whole, cut
    /// in two at every position, and byte by byte through a sequence with no contiguous storage.
    @Test func theFastPathAgreesWithTheStandardLibrary() {
        let pieces: [[UInt8]] = [
            Array("abcdefg".utf8), Array("0123456789".utf8), Array("é".utf8), Array("中".utf8), Array("😀".utf8),
            [0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x9F], [0xFF], [0x7F],
        ]
        for first in pieces {
            for second in pieces {
                for third in pieces {
                    let bytes = first + second + third
                    let expected = String(validating: bytes, as: UTF8.self) != nil
                    #expect(UTF8Validation.isValid(bytes) == expected, "\(bytes)")
                    var bytewise = UTF8Validation()
                    #expect((bytewise.feed(bytes.lazy.map { $0 }) && bytewise.isComplete) == expected, "\(bytes)")
                    for cut in 0...bytes.count {
                        var split = UTF8Validation()
                        let fed = bytes[..<cut].withUnsafeBytes { split.feed($0) } && bytes[cut...].withUnsafeBytes { split.feed($0) }
                        #expect((fed && split.isComplete) == expected, "\(bytes) cut at \(cut)")
                    }
                }
            }
        }
    }
}
