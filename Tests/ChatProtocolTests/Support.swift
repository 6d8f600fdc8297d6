import ChatProtocol
import Foundation
import Testing

/// A JSON value as JSONSerialization parsed it, normalised so tests compare exactly
/// (booleans are not numbers, integers are not doubles).
enum ParsedJSON: Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([ParsedJSON])
    case object([String: ParsedJSON])

    init(_ any: Any) {
        switch any {
        case is NSNull: self = .null
        case let string as String: self = .string(string)
        case let number as NSNumber:
            switch String(cString: number.objCType) {
            case "c", "B": self = .bool(number.boolValue)
            case "d", "f": self = .double(number.doubleValue)
            default: self = .integer(number.int64Value)
            }
        case let array as [Any]: self = .array(array.map(ParsedJSON.init))
        case let object as [String: Any]: self = .object(object.mapValues(ParsedJSON.init))
        default: fatalError("unexpected JSON value \(any)")
        }
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .integer(let value): "\(value)"
        case .double(let value): "\(value)"
        case .string(let value): value.debugDescription
        case .array(let values): "[\(values.map(\.description).joined(separator: ","))]"
        case .object(let fields): "{\(fields.sorted { $0.key < $1.key }.map { "\($0.key.debugDescription):\($0.value)" }.joined(separator: ","))}"
        }
    }
}

extension ParsedJSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral, ExpressibleByNilLiteral {
    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int64) { self = .integer(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(dictionaryLiteral elements: (String, ParsedJSON)...) { self = .object(Dictionary(uniqueKeysWithValues: elements)) }
    init(arrayLiteral elements: ParsedJSON...) { self = .array(elements) }
    init(nilLiteral: ()) { self = .null }
}

/// Parses bytes with Foundation's JSONSerialization (an independent parser).
func parsedByFoundation(_ bytes: [UInt8]) throws -> ParsedJSON {
    ParsedJSON(try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]))
}

/// Decodes `json` as `T` and returns the wire error's message, or `nil` when it decoded.
func decodingError<T: Decodable>(_ type: T.Type, _ json: String) -> String? {
    decodingError(type, Array(json.utf8))
}

/// Decodes `bytes` as `T` and returns the wire error's message, or `nil` when it decoded.
func decodingError<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) -> String? {
    do {
        _ = try WireDecoder.decode(type, from: bytes)
        return nil
    } catch {
        return error.message
    }
}

/// Parses a client frame and returns the wire error's message, or `nil` when it parsed.
func frameError(_ json: String) -> String? {
    do {
        _ = try ClientFrame.parse(text: json)
        return nil
    } catch {
        return error.message
    }
}
