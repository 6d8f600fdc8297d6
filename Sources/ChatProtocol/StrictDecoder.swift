/// The `Decoder` behind ``WireDecoder``: reads a parsed ``JSONValue`` and throws ``WireError``s.
struct StrictDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let allowsUnknownFields: Bool

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else { throw mismatch(.object) }
        if !allowsUnknownFields {
            for key in object.keys where Key(stringValue: key) == nil {
                throw WireError.unknownField(FieldPath.name(codingPath, key))
            }
        }
        return KeyedDecodingContainer(StrictKeyedContainer<Key>(object: object, codingPath: codingPath, allowsUnknownFields: allowsUnknownFields))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch(.list(of: .object)) }
        return StrictUnkeyedContainer(elements: elements, codingPath: codingPath, allowsUnknownFields: allowsUnknownFields)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        StrictSingleValueContainer(value: value, codingPath: codingPath, allowsUnknownFields: allowsUnknownFields)
    }

    /// The error for a value that is not of `expected` type: at the top level the document is
    /// not what was asked for at all ("Invalid JSON"); below, the field has the wrong type.
    private func mismatch(_ expected: WireType) -> WireError {
        codingPath.isEmpty ? .invalidJSON : .wrongType(field: FieldPath.name(codingPath), expected: expected)
    }
}

/// How fields are named in messages: keys joined by dots, list positions in brackets.
enum FieldPath {
    static func name(_ path: [any CodingKey], _ last: String? = nil) -> String {
        var result = ""
        for key in path {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                if !result.isEmpty { result += "." }
                result += key.stringValue
            }
        }
        if let last {
            if !result.isEmpty { result += "." }
            result += last
        }
        return result
    }
}

/// A position in a JSON array, as a coding key.
struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.intValue = intValue }
}

/// Types whose JSON type is known up front, so a wrong value is reported as, say,
/// "must be a list of strings" rather than by the first bad element.
protocol WireTyped {
    static var wireType: WireType { get }
}

extension String: WireTyped { static var wireType: WireType { .string } }
extension Bool: WireTyped { static var wireType: WireType { .boolean } }
extension Int: WireTyped { static var wireType: WireType { .integer } }
extension Int64: WireTyped { static var wireType: WireType { .integer } }
extension Int32: WireTyped { static var wireType: WireType { .integer } }
extension Int16: WireTyped { static var wireType: WireType { .integer } }
extension Int8: WireTyped { static var wireType: WireType { .integer } }
extension UInt: WireTyped { static var wireType: WireType { .integer } }
extension UInt64: WireTyped { static var wireType: WireType { .integer } }
extension UInt32: WireTyped { static var wireType: WireType { .integer } }
extension UInt16: WireTyped { static var wireType: WireType { .integer } }
extension UInt8: WireTyped { static var wireType: WireType { .integer } }
extension Double: WireTyped { static var wireType: WireType { .number } }
extension Float: WireTyped { static var wireType: WireType { .number } }
extension Array: WireTyped where Element: WireTyped { static var wireType: WireType { .list(of: Element.wireType) } }

/// Conversions from a JSON value to Swift scalars; `nil` when the type is wrong.
extension JSONValue {
    func scalar<T: Decodable>(_ type: T.Type) -> T? {
        switch self {
        case .string(let string): return string as? T
        case .bool(let bool): return bool as? T
        case .integer(let integer):
            switch type {
            case is Int.Type: return Int(exactly: integer) as? T
            case is Int64.Type: return integer as? T
            case is Int32.Type: return Int32(exactly: integer) as? T
            case is Int16.Type: return Int16(exactly: integer) as? T
            case is Int8.Type: return Int8(exactly: integer) as? T
            case is UInt.Type: return UInt(exactly: integer) as? T
            case is UInt64.Type: return UInt64(exactly: integer) as? T
            case is UInt32.Type: return UInt32(exactly: integer) as? T
            case is UInt16.Type: return UInt16(exactly: integer) as? T
            case is UInt8.Type: return UInt8(exactly: integer) as? T
            case is Double.Type: return Double(integer) as? T
            case is Float.Type: return Float(integer) as? T
            default: return nil
            }
        case .number(let number):
            switch type {
            case is Double.Type: return number as? T
            case is Float.Type: return Float(number) as? T
            default: return nil
            }
        case .null, .array, .object:
            return nil
        }
    }
}

struct StrictKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: JSONObject
    let codingPath: [any CodingKey]
    let allowsUnknownFields: Bool

    var allKeys: [Key] { object.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { object[key.stringValue] != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        switch object[key.stringValue] {
        case nil, .null?: true
        default: false
        }
    }

    private func value(for key: Key) throws(WireError) -> JSONValue {
        guard let value = object[key.stringValue] else {
            throw .missingField(FieldPath.name(codingPath, key.stringValue))
        }
        return value
    }

    private func scalar<T: Decodable & WireTyped>(_ type: T.Type, forKey key: Key) throws(WireError) -> T {
        guard let result = try value(for: key).scalar(type) else {
            throw .wrongType(field: FieldPath.name(codingPath, key.stringValue), expected: T.wireType)
        }
        return result
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try scalar(type, forKey: key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try scalar(type, forKey: key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try scalar(type, forKey: key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try scalar(type, forKey: key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try scalar(type, forKey: key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try scalar(type, forKey: key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try scalar(type, forKey: key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try scalar(type, forKey: key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try scalar(type, forKey: key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try scalar(type, forKey: key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try scalar(type, forKey: key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try scalar(type, forKey: key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try scalar(type, forKey: key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try scalar(type, forKey: key) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let value = try value(for: key)
        if let typed = T.self as? any WireTyped.Type, !value.matches(typed.wireType) {
            throw WireError.wrongType(field: FieldPath.name(codingPath, key.stringValue), expected: typed.wireType)
        }
        return try T(from: decoder(for: value, key: key))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder(for: value(for: key), key: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder(for: value(for: key), key: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        StrictDecoder(value: .object(object), codingPath: codingPath, allowsUnknownFields: allowsUnknownFields)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        try decoder(for: value(for: key), key: key)
    }

    private func decoder(for value: JSONValue, key: Key) -> StrictDecoder {
        StrictDecoder(value: value, codingPath: codingPath + [key], allowsUnknownFields: allowsUnknownFields)
    }
}

struct StrictUnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    let allowsUnknownFields: Bool
    private(set) var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey], allowsUnknownFields: Bool) {
        self.elements = elements
        self.codingPath = codingPath
        self.allowsUnknownFields = allowsUnknownFields
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    /// The next element; reading past the end means the list is too short, which a caller
    /// sees as a wrong type of the whole list.
    private mutating func next(expecting type: WireType) throws(WireError) -> JSONValue {
        guard !isAtEnd else { throw mismatch(type) }
        defer { currentIndex += 1 }
        return elements[currentIndex]
    }

    private func mismatch(_ element: WireType) -> WireError {
        codingPath.isEmpty ? .invalidJSON : .wrongType(field: FieldPath.name(codingPath), expected: .list(of: element))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let expected = (T.self as? any WireTyped.Type)?.wireType ?? .object
        let index = currentIndex
        let value = try next(expecting: expected)
        if let typed = T.self as? any WireTyped.Type {
            guard value.matches(typed.wireType) else { throw mismatch(typed.wireType) }
            if let scalar = value.scalar(T.self) { return scalar }
        }
        return try T(from: StrictDecoder(value: value, codingPath: codingPath + [IndexKey(index)], allowsUnknownFields: allowsUnknownFields))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let index = currentIndex
        let value = try next(expecting: .object)
        return try StrictDecoder(value: value, codingPath: codingPath + [IndexKey(index)], allowsUnknownFields: allowsUnknownFields).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let index = currentIndex
        let value = try next(expecting: .list(of: .object))
        return try StrictDecoder(value: value, codingPath: codingPath + [IndexKey(index)], allowsUnknownFields: allowsUnknownFields).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let index = currentIndex
        let value = try next(expecting: .object)
        return StrictDecoder(value: value, codingPath: codingPath + [IndexKey(index)], allowsUnknownFields: allowsUnknownFields)
    }
}

struct StrictSingleValueContainer: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let allowsUnknownFields: Bool

    func decodeNil() -> Bool { value == .null }

    private func scalar<T: Decodable & WireTyped>(_ type: T.Type) throws(WireError) -> T {
        guard let result = value.scalar(type) else {
            throw codingPath.isEmpty ? .invalidJSON : .wrongType(field: FieldPath.name(codingPath), expected: T.wireType)
        }
        return result
    }

    func decode(_ type: Bool.Type) throws -> Bool { try scalar(type) }
    func decode(_ type: String.Type) throws -> String { try scalar(type) }
    func decode(_ type: Double.Type) throws -> Double { try scalar(type) }
    func decode(_ type: Float.Type) throws -> Float { try scalar(type) }
    func decode(_ type: Int.Type) throws -> Int { try scalar(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try scalar(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try scalar(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try scalar(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try scalar(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try scalar(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try scalar(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try scalar(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try scalar(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try scalar(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try T(from: StrictDecoder(value: value, codingPath: codingPath, allowsUnknownFields: allowsUnknownFields))
    }
}
