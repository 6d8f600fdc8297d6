/// A text frame a client sends on a seed WebSocket (`/ws/chat/…`, `/ws/private/…`, `/ws/chat/group/…`).
///
/// - `{"message": "<text>"}`, optionally with `"type": "message"`, `"username"` (old clients;
///   must equal the authenticated user, which the server checks) and `"client_msg_id"`: ``send(text:claimedUsername:clientMessageID:)``.
/// - `{"type": "typing"}` or `{"type": "typing", "typing": true|false}`: ``typing(isTyping:)``.
///
/// Parsing is strict, like ``WireDecoder``: a `"type"` other than these is
/// "Unknown frame type: <type>"; fields a frame of that type does not define, missing or
/// mistyped fields, invalid UTF-8 and non-JSON get the usual ``WireError`` messages. `null`
/// counts as absent for the optional fields (`"type"` included).
public enum ClientFrame: Hashable, Sendable {
    /// The error for a frame whose `username` is not the authenticated user's (nothing is stored).
    public static let usernameMismatchMessage = "username does not match the authenticated user"

    /// Send a message to the socket's room.
    case send(text: String, claimedUsername: String?, clientMessageID: String?)
    /// The user started (`true`) or stopped (`false`) typing.
    case typing(isTyping: Bool)

    /// Parses a text frame's bytes.
    public static func parse(_ bytes: some Collection<UInt8>) throws(WireError) -> ClientFrame {
        guard case .object(let object) = try JSONParser.parse(bytes) else { throw .invalidJSON }
        let type = try optional(object, "type", .string) { if case .string(let value) = $0 { value } else { nil } } ?? "message"
        switch type {
        case "message":
            try rejectUnknownFields(object, allowed: ["type", "message", "username", "client_msg_id"])
            guard let text = try optional(object, "message", .string, string) else { throw .missingField("message") }
            return .send(
                text: text,
                claimedUsername: try optional(object, "username", .string, string),
                clientMessageID: try optional(object, "client_msg_id", .string, string)
            )
        case "typing":
            try rejectUnknownFields(object, allowed: ["type", "typing"])
            let isTyping = try optional(object, "typing", .boolean) { if case .bool(let value) = $0 { value } else { nil } }
            return .typing(isTyping: isTyping ?? true)
        default:
            throw .unknownFrameType(type)
        }
    }

    /// Parses a text frame.
    public static func parse(text: String) throws(WireError) -> ClientFrame {
        try parse(text.utf8)
    }

    private static func string(_ value: JSONValue) -> String? {
        if case .string(let string) = value { string } else { nil }
    }

    /// The value of an optional field: `nil` when absent or `null`, a wrong type otherwise.
    private static func optional<T>(
        _ object: JSONObject, _ name: String, _ type: WireType, _ convert: (JSONValue) -> T?
    ) throws(WireError) -> T? {
        guard let value = object[name], value != .null else { return nil }
        guard let converted = convert(value) else { throw .wrongType(field: name, expected: type) }
        return converted
    }

    private static func rejectUnknownFields(_ object: JSONObject, allowed: Set<String>) throws(WireError) {
        for key in object.keys where !allowed.contains(key) { throw .unknownField(key) }
    }
}
