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
        let object = try FrameObject(bytes)
        let type = try object.optionalString("type") ?? "message"
        switch type {
        case "message":
            try object.rejectUnknownFields(allowed: ["type", "message", "username", "client_msg_id"])
            guard let text = try object.optionalString("message") else { throw .missingField("message") }
            return .send(text: text, claimedUsername: try object.optionalString("username"), clientMessageID: try object.optionalString("client_msg_id"))
        case "typing":
            try object.rejectUnknownFields(allowed: ["type", "typing"])
            return .typing(isTyping: try object.optionalBool("typing") ?? true)
        default:
            throw .unknownFrameType(type)
        }
    }

    /// Parses a text frame.
    public static func parse(text: String) throws(WireError) -> ClientFrame {
        try parse(text.utf8)
    }
}
