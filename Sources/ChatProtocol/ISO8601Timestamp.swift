import ChatEngine

/// ISO 8601 UTC timestamps with milliseconds, such as `2026-11-26T05:49:20.123Z`, for instants
/// in milliseconds since the Unix epoch (the server's clock for ``ChatEngine/Instant``).
///
/// Formatting is arithmetic only (Howard Hinnant's civil-from-days algorithm): no calendar,
/// no locale, no `DateFormatter`, and no allocation beyond the output. Instants before 1970 are
/// supported; years outside 0000…9999 use ISO 8601's expanded form, such as `+010000-01-01T…`.
public enum ISO8601Timestamp {
    private static let millisecondsPerDay: Int64 = 86_400_000

    /// The longest timestamp: an expanded year of up to 9 digits with its sign, and the rest.
    private static let maxLength = 32

    /// The timestamp of `instant`.
    public static func string(from instant: Instant) -> String {
        String(unsafeUninitializedCapacity: maxLength) { format(instant, into: $0) }
    }

    /// Appends the timestamp of `instant` (without quotes) to `bytes`.
    public static func write(_ instant: Instant, to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxLength) { buffer in
            let count = format(instant, into: buffer)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<count]))
        }
    }

    /// Writes the timestamp into `buffer` (at least ``maxLength`` bytes) and returns its length.
    private static func format(_ instant: Instant, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let milliseconds = instant.milliseconds
        var days = milliseconds / millisecondsPerDay
        var inDay = milliseconds % millisecondsPerDay
        if inDay < 0 {
            days -= 1
            inDay += millisecondsPerDay
        }
        let (year, month, day) = civil(fromDays: days)
        var position = 0
        func put(_ byte: UInt8) {
            buffer[position] = byte
            position += 1
        }
        /// Writes the magnitude of `value` in decimal, zero-padded to at least `width` digits.
        func put(_ value: Int64, width: Int) {
            var remaining = value.magnitude
            var digits = 1
            var probe = remaining
            while probe >= 10 {
                probe /= 10
                digits += 1
            }
            let end = position + max(digits, width)
            var index = end
            while index > position {
                index -= 1
                buffer[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
                remaining /= 10
            }
            position = end
        }
        if (0...9999).contains(year) {
            put(year, width: 4)
        } else {
            put(year < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            put(year, width: 6)
        }
        put(UInt8(ascii: "-"))
        put(month, width: 2)
        put(UInt8(ascii: "-"))
        put(day, width: 2)
        put(UInt8(ascii: "T"))
        put(inDay / 3_600_000, width: 2)
        put(UInt8(ascii: ":"))
        put(inDay / 60_000 % 60, width: 2)
        put(UInt8(ascii: ":"))
        put(inDay / 1000 % 60, width: 2)
        put(UInt8(ascii: "."))
        put(inDay % 1000, width: 3)
        put(UInt8(ascii: "Z"))
        return position
    }

    /// The instant of a timestamp in exactly the form this type writes for years 0000…9999
    /// (`YYYY-MM-DDTHH:MM:SS.mmmZ`); `nil` for anything else, or an impossible date.
    public static func instant(from string: String) -> Instant? {
        var string = string
        return string.withUTF8 { utf8 -> Instant? in
            guard utf8.count == 24,
                  utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-"), utf8[10] == UInt8(ascii: "T"),
                  utf8[13] == UInt8(ascii: ":"), utf8[16] == UInt8(ascii: ":"), utf8[19] == UInt8(ascii: "."),
                  utf8[23] == UInt8(ascii: "Z")
            else { return nil }
            func number(_ start: Int, _ count: Int) -> Int64? {
                var value: Int64 = 0
                for index in start..<(start + count) {
                    let digit = utf8[index] &- UInt8(ascii: "0")
                    guard digit < 10 else { return nil }
                    value = value * 10 + Int64(digit)
                }
                return value
            }
            guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
                  let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
                  let millisecond = number(20, 3),
                  (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
                  hour < 24, minute < 60, second < 60
            else { return nil }
            let days = self.days(fromCivil: year, month, day)
            return Instant(milliseconds: days * millisecondsPerDay + hour * 3_600_000 + minute * 60_000 + second * 1000 + millisecond)
        }
    }

    /// The (year, month, day) of a day count since 1970-01-01 in the proleptic Gregorian calendar.
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097                                                 // [0, 146096]
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365  // [0, 399]
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)   // [0, 365], from March 1
        let shiftedMonth = (5 * dayOfYear + 2) / 153                                     // [0, 11], March = 0
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// The day count since 1970-01-01 of a proleptic Gregorian date.
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
