/// A strict RFC 8259 parser over UTF-8 bytes.
///
/// The whole input is checked to be UTF-8 first (``WireError/invalidUTF8``); anything else that
/// is not exactly one JSON value, surrounded only by whitespace, is ``WireError/invalidJSON``.
/// Nesting is limited to ``maxDepth`` so hostile input cannot exhaust the stack.
struct JSONParser {
    /// The deepest nesting of arrays and objects accepted.
    static let maxDepth = 64

    private let input: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0

    private init(_ input: UnsafeBufferPointer<UInt8>) { self.input = input }

    /// Parses one JSON document.
    static func parse(_ bytes: some Collection<UInt8>) throws(WireError) -> JSONValue {
        let result: Result<JSONValue, WireError>? = bytes.withContiguousStorageIfAvailable { parse(buffer: $0) }
        return try (result ?? Array(bytes).withUnsafeBufferPointer { parse(buffer: $0) }).get()
    }

    private static func parse(buffer: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, WireError> {
        guard UTF8Validation.isValid(buffer) else { return .failure(.invalidUTF8) }
        var parser = JSONParser(buffer)
        return Result { () throws(WireError) -> JSONValue in try parser.parseDocument() }
    }

    private mutating func parseDocument() throws(WireError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard index == input.count else { throw .invalidJSON }
        return value
    }

    private mutating func skipWhitespace() {
        while index < input.count {
            switch input[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(WireError) -> JSONValue {
        guard index < input.count else { throw .invalidJSON }
        switch input[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw .invalidJSON
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(WireError) {
        let count = literal.utf8CodeUnitCount
        guard input.count - index >= count else { throw .invalidJSON }
        let start = literal.utf8Start
        for offset in 0..<count where input[index + offset] != start[offset] { throw .invalidJSON }
        index += count
    }

    private mutating func enterContainer() throws(WireError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw .invalidJSON }
        index += 1
    }

    private mutating func parseObject() throws(WireError) -> JSONValue {
        try enterContainer()
        var object = JSONObject()
        skipWhitespace()
        if index < input.count, input[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard index < input.count, input[index] == UInt8(ascii: "\"") else { throw .invalidJSON }
            let key = try parseString()
            skipWhitespace()
            guard index < input.count, input[index] == UInt8(ascii: ":") else { throw .invalidJSON }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            try object.insert(value, forKey: key)
            skipWhitespace()
            guard index < input.count else { throw .invalidJSON }
            switch input[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; depth -= 1; return .object(object)
            default: throw .invalidJSON
            }
        }
    }

    private mutating func parseArray() throws(WireError) -> JSONValue {
        try enterContainer()
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < input.count, input[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard index < input.count else { throw .invalidJSON }
            switch input[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; depth -= 1; return .array(elements)
            default: throw .invalidJSON
            }
        }
    }

    /// Parses a string starting at its opening quote. The input is already valid UTF-8, so
    /// unescaped runs are copied as they are.
    private mutating func parseString() throws(WireError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes.
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "\"") {
                let string = String(decoding: UnsafeBufferPointer(rebasing: input[start..<index]), as: UTF8.self)
                index += 1
                return string
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw .invalidJSON }
            index += 1
        }
        guard index < input.count else { throw .invalidJSON }
        var bytes = Array(UnsafeBufferPointer(rebasing: input[start..<index]))
        while index < input.count {
            let byte = input[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: bytes, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < input.count else { throw .invalidJSON }
                let escape = input[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(escape)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"): try appendUnicodeEscape(to: &bytes)
                default: throw .invalidJSON
                }
            case 0..<0x20:
                throw .invalidJSON
            default:
                bytes.append(byte)
                index += 1
            }
        }
        throw .invalidJSON
    }

    /// Reads the hex digits of a `\u` escape (and of a following low surrogate, for a high one).
    /// A lone surrogate is not a character, so it is invalid.
    private mutating func appendUnicodeEscape(to bytes: inout [UInt8]) throws(WireError) {
        let unit = try hex4()
        var scalarValue = UInt32(unit)
        if (0xD800..<0xDC00).contains(unit) {
            guard input.count - index >= 2, input[index] == UInt8(ascii: "\\"), input[index + 1] == UInt8(ascii: "u")
            else { throw .invalidJSON }
            index += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw .invalidJSON }
            scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
        } else if (0xDC00..<0xE000).contains(unit) {
            throw .invalidJSON
        }
        guard let scalar = Unicode.Scalar(scalarValue) else { throw .invalidJSON }
        bytes.append(contentsOf: UTF8.encode(scalar)!)
    }

    private mutating func hex4() throws(WireError) -> UInt16 {
        guard input.count - index >= 4 else { throw .invalidJSON }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = input[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw .invalidJSON
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    /// Parses a number per the RFC grammar: `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    private mutating func parseNumber() throws(WireError) -> JSONValue {
        let start = index
        if input[index] == UInt8(ascii: "-") { index += 1 }
        guard index < input.count else { throw .invalidJSON }
        if input[index] == UInt8(ascii: "0") {
            index += 1
        } else if isDigit(at: index) {
            while isDigit(at: index) { index += 1 }
        } else {
            throw .invalidJSON
        }
        var isInteger = true
        if index < input.count, input[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard isDigit(at: index) else { throw .invalidJSON }
            while isDigit(at: index) { index += 1 }
        }
        if index < input.count, input[index] == UInt8(ascii: "e") || input[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < input.count, input[index] == UInt8(ascii: "+") || input[index] == UInt8(ascii: "-") { index += 1 }
            guard isDigit(at: index) else { throw .invalidJSON }
            while isDigit(at: index) { index += 1 }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: input[start..<index]), as: UTF8.self)
        if isInteger, let value = Int64(text) { return .integer(value) }
        guard let value = Double(text) else { throw .invalidJSON }
        return .number(value)
    }

    private func isDigit(at position: Int) -> Bool {
        position < input.count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(input[position])
    }
}
