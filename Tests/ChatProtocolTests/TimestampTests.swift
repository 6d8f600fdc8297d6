import ChatEngine
import ChatProtocol
import Foundation
import Testing

@Suite("ISO 8601 timestamps with milliseconds")
struct TimestampTests {
    private static let millisecondsPerDay: Int64 = 86_400_000

    private func foundation(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        // Whole seconds plus milliseconds, so no binary-fraction error rounds the wrong way.
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let fraction = Double(milliseconds - seconds * 1000) / 1000
        return formatter.string(from: Date(timeIntervalSince1970: Double(seconds) + fraction))
    }

    @Test func knownValues() {
        #expect(ISO8601Timestamp.string(from: .zero) == "1970-01-01T00:00:00.000Z")
        #expect(ISO8601Timestamp.string(from: Instant(milliseconds: 1)) == "1970-01-01T00:00:00.001Z")
        #expect(ISO8601Timestamp.string(from: Instant(milliseconds: -1)) == "1969-12-31T23:59:59.999Z")
        #expect(ISO8601Timestamp.string(from: Instant(milliseconds: 951_782_400_000)) == "2000-02-29T00:00:00.000Z")
        #expect(ISO8601Timestamp.string(from: Instant(milliseconds: 4_107_542_400_000)) == "2100-03-01T00:00:00.000Z")
        #expect(ISO8601Timestamp.string(from: Instant(milliseconds: 1_795_672_160_123)) == "2026-11-26T05:49:20.123Z")
        #expect(ISO8601Timestamp.string(from: Instant(milliseconds: 253_402_300_799_999)) == "9999-12-31T23:59:59.999Z")
        #expect(ISO8601Timestamp.string(from: Instant(milliseconds: 253_402_300_800_000)) == "+010000-01-01T00:00:00.000Z")
        #expect(ISO8601Timestamp.string(from: Instant(milliseconds: -62_167_219_200_000)) == "0000-01-01T00:00:00.000Z")
        #expect(ISO8601Timestamp.string(from: Instant(milliseconds: -62_167_219_200_001)) == "-000001-12-31T23:59:59.999Z")
    }

    @Test func extremesDoNotTrap() {
        #expect(!ISO8601Timestamp.string(from: Instant(milliseconds: .max)).isEmpty)
        #expect(!ISO8601Timestamp.string(from: Instant(milliseconds: .min)).isEmpty)
    }

    @Test func boundariesMatchFoundation() {
        // Around midnight of interesting days: epoch, leap days, century years (2000 leap, 1900/2100 not).
        let days: [Int64] = [
            0, -1, 1, 59, 60, 365, 366, 789, 790, 10_956, 10_957, 11_016, 11_017, 11_059, 11_060, 11_322, 11_323,
            47_541, 47_482, 47_483, -25_508, -25_509, -24_837, -24_838, 20_513, 20_819, 2_932_896,
        ]
        for day in days {
            for offset: Int64 in [-86_400_000, -1, 0, 1, 999, 1000, 43_200_000, 86_399_999] {
                let milliseconds = day * Self.millisecondsPerDay + offset
                #expect(ISO8601Timestamp.string(from: Instant(milliseconds: milliseconds)) == foundation(milliseconds), "at \(milliseconds) ms")
            }
        }
    }

    @Test func randomInstantsMatchFoundation() {
        var generator = SplitMix64(seed: 2026)
        // 1900-01-01 to 2200-01-01.
        let range: ClosedRange<Int64> = -2_208_988_800_000...7_258_118_400_000
        var mismatches = 0
        for _ in 0..<20_000 {
            let milliseconds = Int64.random(in: range, using: &generator)
            if ISO8601Timestamp.string(from: Instant(milliseconds: milliseconds)) != foundation(milliseconds) {
                mismatches += 1
                Issue.record("mismatch at \(milliseconds) ms: \(ISO8601Timestamp.string(from: Instant(milliseconds: milliseconds))) vs \(foundation(milliseconds))")
                if mismatches > 5 { return }
            }
        }
    }

    @Test func writesIntoAnExistingBuffer() {
        var bytes: [UInt8] = Array("at ".utf8)
        ISO8601Timestamp.write(Instant(milliseconds: 1_795_672_160_123), to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "at 2026-11-26T05:49:20.123Z")
    }

    @Test func parsesWhatItWrites() {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<5_000 {
            let instant = Instant(milliseconds: Int64.random(in: -62_167_219_200_000...253_402_300_799_999, using: &generator))
            #expect(ISO8601Timestamp.instant(from: ISO8601Timestamp.string(from: instant)) == instant)
        }
    }

    @Test(arguments: [
        "", "2026-11-26T05:49:20Z", "2026-11-26T05:49:20.123", "2026-11-26 05:49:20.123Z", "2026-13-01T00:00:00.000Z",
        "2026-02-29T00:00:00.000Z", "2100-02-29T00:00:00.000Z", "2026-04-31T00:00:00.000Z", "2026-11-26T24:00:00.000Z",
        "2026-11-26T05:60:00.000Z", "2026-11-26T05:49:60.000Z", "2026-11-00T05:49:20.123Z", "2026-1x-26T05:49:20.123Z",
    ])
    func rejectsOtherForms(_ text: String) {
        #expect(ISO8601Timestamp.instant(from: text) == nil)
    }

    @Test func acceptsLeapDays() {
        #expect(ISO8601Timestamp.instant(from: "2000-02-29T00:00:00.000Z") == Instant(milliseconds: 951_782_400_000))
        #expect(ISO8601Timestamp.instant(from: "2024-02-29T12:00:00.500Z") != nil)
    }
}
