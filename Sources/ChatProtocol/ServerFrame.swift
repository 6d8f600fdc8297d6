import ChatEngine

/// A frame the server sends on a seed WebSocket, encoded once with ``encoded()`` and the same
/// bytes written to every recipient.
///
/// - message: `{"type":"message","id","room_id","room","seq","username","message","timestamp"}`
///   (plus `"client_msg_id"` when the sender gave one);
/// - typing: `{"type":"typing","room","username","typing":true|false}`;
/// - error: `{"type":"error","error":"<human message>"}`.
///
/// `room` is always the room's name. Fields appear in the order listed. Nothing else is ever
/// sent on a seed socket: old clients take any other frame for a message.
public enum ServerFrame: Hashable, Sendable, WireEncodable {
    /// A message of the room (the sender's own sockets included: their acknowledgement).
    case message(MessageBody)
    /// A user started or stopped typing in the room.
    case typing(room: String, username: String, isTyping: Bool)
    /// A rejected frame or a refused socket; the text is the exact human message.
    case error(String)

    /// An error frame for a wire error, with its exact message.
    public static func error(_ error: WireError) -> ServerFrame { .error(error.message) }

    /// The frame's JSON, as UTF-8 bytes to share between recipients.
    public func encoded() -> [UInt8] { WireEncoder.encode(self) }

    /// The frame's JSON, as a string (for WebSocket APIs that take text).
    public func encodedString() -> String { WireEncoder.encodeString(self) }

    /// Writes the frame.
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        switch self {
        case .message(let body):
            writer.field("type", "message")
            body.writeFields(to: &writer)
        case .typing(let room, let username, let isTyping):
            writer.field("type", "typing")
            writer.field("room", room)
            writer.field("username", username)
            writer.field("typing", isTyping)
        case .error(let message):
            writer.field("type", "error")
            writer.field("error", message)
        }
        writer.endObject()
    }

    /// A size hint.
    public var estimatedJSONSize: Int {
        switch self {
        case .message(let body): body.estimatedJSONSize + 16
        case .typing(let room, let username, _):
            64 + room.utf8.count + username.utf8.count
        case .error(let message): 32 + message.utf8.count
        }
    }
}
