/// A parsed JSON value: what ``JSONParser`` produces and the strict decoder reads.
///
/// Integers and other numbers are told apart by how they were written, so `1.5` (or `1e3`)
/// is never mistaken for an integer field's value.
enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits in `Int64`.
    case integer(Int64)
    /// Any other number.
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// Whether this value is of `type` (for a list, every element too).
    func matches(_ type: WireType) -> Bool {
        switch (type, self) {
        case (.string, .string), (.integer, .integer), (.boolean, .bool), (.object, .object),
             (.number, .integer), (.number, .number):
            true
        case (.list(let element), .array(let elements)):
            elements.allSatisfy { $0.matches(element) }
        default:
            false
        }
    }
}

/// A JSON object: its fields in document order (so that the first unknown field is the one
/// reported), each name once.
///
/// A frame has a handful of fields: they are found by looking through them in turn, with no
/// hashing and one allocation. An object with more than ``indexedAbove`` fields also keeps an
/// index by name, so that a large one costs no more per field than a dictionary would (a body
/// of a mebibyte of distinct names must not take quadratic time to check for duplicates).
struct JSONObject: Hashable, Sendable {
    struct Field: Hashable, Sendable {
        let key: String
        let value: JSONValue
    }

    /// Objects with more fields than this also keep an index by name.
    static let indexedAbove = 8

    private var fields: [Field] = []
    /// Each name's place in `fields`, once there are more than ``indexedAbove`` of them.
    private var index: [String: Int]?

    /// The names, in document order.
    var keys: LazyMapSequence<[Field], String> { fields.lazy.map(\.key) }

    subscript(key: String) -> JSONValue? {
        guard let position = position(of: key) else { return nil }
        return fields[position].value
    }

    /// Adds a field; a name given twice is an error.
    mutating func insert(_ value: JSONValue, forKey key: String) throws(WireError) {
        guard position(of: key) == nil else { throw .duplicateField(key) }
        fields.append(Field(key: key, value: value))
        if index != nil {
            index?[key] = fields.count - 1
        } else if fields.count > Self.indexedAbove {
            index = Dictionary(uniqueKeysWithValues: fields.enumerated().map { ($1.key, $0) })
        }
    }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return fields.firstIndex { $0.key == key }
    }

    /// Equal when the same fields come in the same order (the index follows from them).
    static func == (lhs: JSONObject, rhs: JSONObject) -> Bool { lhs.fields == rhs.fields }

    func hash(into hasher: inout Hasher) { hasher.combine(fields) }
}
