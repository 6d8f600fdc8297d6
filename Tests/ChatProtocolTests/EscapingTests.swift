import ChatProtocol
import Foundation
import Testing

@Suite("String escaping per RFC 8259")
struct EscapingTests {
    /// Encodes `text` as an error frame's message and parses it back with JSONSerialization.
    private func roundTrip(_ text: String) throws -> ParsedJSON? {
        guard case .object(let fields) = try parsedByFoundation(ServerFrame.error(text).encoded()) else { return nil }
        return fields["error"]
    }

    @Test(arguments: [
        "", "plain", "quote \" inside", "back\\slash", "\\\"", "slash / stays", "new\nline", "tab\t", "cr\r", "\u{8}\u{C}",
        "nul \u{0} byte", "\u{1F}\u{7F}", "é ü ß", "中文", "emoji 😀👍🏽", "family 👨‍👩‍👧", "\u{2028}\u{2029}", "\u{FFFD}",
        "mixed \"😀\"\n\\\u{1}end",
    ])
    func roundTripsThroughFoundation(_ text: String) throws {
        #expect(try roundTrip(text) == .string(text))
    }

    @Test func exactEscapes() {
        #expect(ServerFrame.error("a\"b\\c").encodedString() == #"{"type":"error","error":"a\"b\\c"}"#)
        #expect(ServerFrame.error("\n\r\t\u{8}\u{C}").encodedString() == #"{"type":"error","error":"\n\r\t\b\f"}"#)
        #expect(ServerFrame.error("\u{0}\u{1}\u{1F}").encodedString() == #"{"type":"error","error":"\u0000\u0001\u001f"}"#)
        // Non-ASCII is written as raw UTF-8, not \u escapes; '/' and DEL need no escape.
        #expect(ServerFrame.error("é😀/\u{7F}").encodedString() == "{\"type\":\"error\",\"error\":\"é😀/\u{7F}\"}")
    }

    @Test func everyControlCharacterAndRandomText() throws {
        let controls = String(String.UnicodeScalarView((0..<0x20).map { Unicode.Scalar($0) }))
        #expect(try roundTrip(controls) == .string(controls))

        var generator = SplitMix64(seed: 42)
        let alphabet: [Unicode.Scalar] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\u{0}", "\u{1B}", "é", "中", "😀", "\u{10FFFF}", "\u{E000}"]
        for _ in 0..<200 {
            let count = Int(generator.next() % 40)
            let text = String(String.UnicodeScalarView((0..<count).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }))
            #expect(try roundTrip(text) == .string(text))
            // And through our own strict decoder.
            let decoded = try WireDecoder.decode(ErrorBody.self, from: WireEncoder.encode(ErrorBody(error: text)))
            #expect(decoded.error == text)
        }
    }

    @Test func keysAreEscapedToo() throws {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("we\"ird", "v")
        writer.endObject()
        #expect(try parsedByFoundation(writer.bytes) == ["we\"ird": "v"])
    }
}

/// A small deterministic random generator, so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
