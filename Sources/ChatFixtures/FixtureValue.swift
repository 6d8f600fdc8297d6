import Foundation

/// A JSON value in a fixture or a received frame.
public indirect enum FixtureValue: Hashable, Sendable, Decodable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([FixtureValue])
    case object([String: FixtureValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([FixtureValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: FixtureValue].self))
        }
    }

    /// Parses JSON text (a frame or a response body).
    public static func parse(_ bytes: some Collection<UInt8>) -> FixtureValue? {
        try? JSONDecoder().decode(FixtureValue.self, from: Data(bytes))
    }

    /// A field of an object.
    public subscript(key: String) -> FixtureValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// The string, if this is one.
    public var string: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    /// The integer, if this is a whole number.
    public var integer: Int? {
        if case .number(let number) = self, number == number.rounded() { return Int(number) }
        return nil
    }

    /// The integer an action's field holds once its variables are replaced; a variable bound to
    /// anything else is the fixture's mistake, named with the field.
    public func integer(field: String) throws(FixtureFormatError) -> Int {
        guard let integer else { throw FixtureFormatError(message: "\"\(field)\" must be an integer, not \(self)") }
        return integer
    }

    /// The string an action's field holds once its variables are replaced; a variable bound to
    /// anything else is the fixture's mistake, named with the field.
    public func string(field: String) throws(FixtureFormatError) -> String {
        guard let string else { throw FixtureFormatError(message: "\"\(field)\" must be a string, not \(self)") }
        return string
    }

    /// Compact JSON with sorted keys.
    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let bool): bool ? "true" : "false"
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .string(let string): Self.quoted(string)
        case .array(let array): "[" + array.map(\.description).joined(separator: ",") + "]"
        case .object(let object): "{" + object.keys.sorted().map { "\(Self.quoted($0)):\(object[$0]!)" }.joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    private static func quoted(_ string: String) -> String {
        var text = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }

    /// JSON text for this value (for frames a fixture sends).
    public var jsonText: String { description }
}

extension FixtureValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral {
    /// A string value written as a literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A boolean value written as a literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
