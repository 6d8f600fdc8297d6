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

/// A JSON object: its fields by name, and their names in document order (so that the first
/// unknown field is the one reported, whatever the dictionary's order).
struct JSONObject: Hashable, Sendable {
    private(set) var keys: [String] = []
    private(set) var values: [String: JSONValue] = [:]

    subscript(key: String) -> JSONValue? { values[key] }

    /// Adds a field; a name given twice is an error.
    mutating func insert(_ value: JSONValue, forKey key: String) throws(WireError) {
        guard values.updateValue(value, forKey: key) == nil else { throw .duplicateField(key) }
        keys.append(key)
    }
}
