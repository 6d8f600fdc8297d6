import ChatEngine

/// Writes compact JSON straight into a byte array: the fast path for frames fanned out to many
/// sockets and for REST responses.
///
/// Strings are escaped per RFC 8259: `"` and `\` are backslash-escaped, control characters
/// below U+0020 use `\b \f \n \r \t` or `\u00XX`, and everything else (non-ASCII included) is
/// written as its UTF-8 bytes. Commas are placed automatically: call ``key(_:)`` before each
/// value in an object, and nothing between values in an array.
///
/// ```swift
/// var writer = JSONWriter()
/// writer.beginObject()
/// writer.field("type", "error")
/// writer.field("error", "Invalid JSON")
/// writer.endObject()
/// writer.bytes  // {"type":"error","error":"Invalid JSON"}
/// ```
public struct JSONWriter: Sendable {
    /// The JSON written so far.
    public private(set) var bytes: [UInt8]
    private var needsComma = false

    /// Creates an empty writer whose buffer can hold `capacity` bytes before growing.
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The JSON written so far, as a string.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func beginValue() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// Opens an object: `{`.
    public mutating func beginObject() {
        beginValue()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Closes an object: `}`.
    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Opens an array: `[`.
    public mutating func beginArray() {
        beginValue()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    /// Closes an array: `]`.
    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes an object's key and its colon; the value comes next.
    public mutating func key(_ name: String) {
        beginValue()
        appendEscaped(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a string value, escaped.
    public mutating func string(_ value: String) {
        beginValue()
        appendEscaped(value)
        needsComma = true
    }

    /// Writes an integer value.
    public mutating func integer(_ value: Int64) {
        beginValue()
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var magnitude = value.magnitude
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
        needsComma = true
    }

    /// Writes `true` or `false`.
    public mutating func boolean(_ value: Bool) {
        beginValue()
        appendLiteral(value ? "true" : "false")
        needsComma = true
    }

    /// Writes `null`.
    public mutating func null() {
        beginValue()
        appendLiteral("null")
        needsComma = true
    }

    /// Writes an instant as a quoted ISO 8601 UTC timestamp with milliseconds
    /// (see ``ISO8601Timestamp``), without building an intermediate `String`.
    public mutating func timestamp(_ instant: Instant) {
        beginValue()
        bytes.append(UInt8(ascii: "\""))
        ISO8601Timestamp.write(instant, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Writes a value that knows how to write itself.
    public mutating func value(_ value: some WireEncodable) {
        value.write(to: &self)
    }

    /// Writes `"name":"value"`.
    public mutating func field(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    /// Writes `"name":value` for an integer.
    public mutating func field(_ name: String, _ value: Int64) {
        key(name)
        integer(value)
    }

    /// Writes `"name":true` or `"name":false`.
    public mutating func field(_ name: String, _ value: Bool) {
        key(name)
        boolean(value)
    }

    /// Writes `"name":["a","b"]`.
    public mutating func field(_ name: String, _ values: [String]) {
        key(name)
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    /// Writes `"name":"value"` when `value` is not `nil`, and nothing otherwise.
    public mutating func field(_ name: String, ifPresent value: String?) {
        if let value { field(name, value) }
    }

    private mutating func appendLiteral(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends `value` as a quoted JSON string.
    private mutating func appendEscaped(_ value: String) {
        if value.utf8.withContiguousStorageIfAvailable({ appendEscaped(utf8: $0) }) != nil { return }
        var value = value
        value.withUTF8 { appendEscaped(utf8: $0) }
    }

    /// Appends UTF-8 bytes as a quoted JSON string. Runs that need no escaping are copied in bulk.
    private mutating func appendEscaped(utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
            runStart = index + 1
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            default:
                // \u00XX; the byte is below 0x20, so its high nibble is 0 or 1.
                let low = byte & 0xF
                bytes.append(UInt8(ascii: "u"))
                bytes.append(UInt8(ascii: "0"))
                bytes.append(UInt8(ascii: "0"))
                bytes.append(UInt8(ascii: "0") + (byte >> 4))
                bytes.append(low < 10 ? UInt8(ascii: "0") + low : UInt8(ascii: "a") + low - 10)
            }
        }
        if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        bytes.append(UInt8(ascii: "\""))
    }
}
