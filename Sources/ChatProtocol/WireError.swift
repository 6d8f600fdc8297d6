/// Why bytes from a client could not be read as the expected body or frame.
///
/// ``message`` is the exact text a client sees in `{"error": "…"}`; tests assert it.
public enum WireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Not JSON, or not the JSON value expected at the top level (an object for every body and frame).
    case invalidJSON
    /// The bytes are not valid UTF-8.
    case invalidUTF8
    /// An object has a field the body or frame does not define.
    case unknownField(String)
    /// An object names the same field twice.
    case duplicateField(String)
    /// A required field is absent.
    case missingField(String)
    /// A field holds a value of the wrong JSON type (`null` included, for a required field).
    case wrongType(field: String, expected: WireType)
    /// A WebSocket frame's `"type"` is not one the server knows.
    case unknownFrameType(String)
    /// A binary WebSocket frame arrived; the protocol is text frames only.
    case binaryFrame

    /// The human message, exactly as sent to clients.
    public var message: String {
        switch self {
        case .invalidJSON: "Invalid JSON"
        case .invalidUTF8: "Invalid UTF-8"
        case .unknownField(let name): "Unknown field: \(name)"
        case .duplicateField(let name): "Duplicate field: \(name)"
        case .missingField(let name): "Missing field: \(name)"
        case .wrongType(let name, let expected): "Field '\(name)' must be \(expected)"
        case .unknownFrameType(let type): "Unknown frame type: \(type)"
        case .binaryFrame: WireError.binaryFrameMessage
        }
    }

    /// The message for a binary WebSocket frame: "Binary frames are not supported".
    public static let binaryFrameMessage = "Binary frames are not supported"

    /// The same as ``message``.
    public var description: String { message }
}

/// The JSON type a field must hold, as named in ``WireError/wrongType(field:expected:)`` messages.
public indirect enum WireType: Hashable, Sendable, CustomStringConvertible {
    /// A JSON string.
    case string
    /// A JSON number written without fraction or exponent, within the range of `Int64`.
    case integer
    /// `true` or `false`.
    case boolean
    /// Any JSON number.
    case number
    /// A JSON object.
    case object
    /// A JSON array whose every element is of the given type.
    case list(of: WireType)

    /// The type with its article, as it reads in a message: "a string", "an integer",
    /// "a boolean", "a number", "an object", "a list of strings".
    public var description: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .boolean: "a boolean"
        case .number: "a number"
        case .object: "an object"
        case .list(let element): "a list of \(element.plural)"
        }
    }

    private var plural: String {
        switch self {
        case .string: "strings"
        case .integer: "integers"
        case .boolean: "booleans"
        case .number: "numbers"
        case .object: "objects"
        case .list(let element): "lists of \(element.plural)"
        }
    }
}
