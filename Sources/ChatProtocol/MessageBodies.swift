import ChatEngine

/// `POST /api/messages`: `{"room_id","message","client_msg_id"?}`.
public struct SendMessageRequest: Codable, Hashable, Sendable {
    /// The room to send to.
    public var roomID: Int64
    /// The text.
    public var message: String
    /// The sender's own id for the message, which makes retries idempotent.
    public var clientMessageID: String?

    /// Creates a request.
    public init(roomID: Int64, message: String, clientMessageID: String? = nil) {
        self.roomID = roomID
        self.message = message
        self.clientMessageID = clientMessageID
    }

    private enum CodingKeys: String, CodingKey {
        case roomID = "room_id"
        case message
        case clientMessageID = "client_msg_id"
    }
}

/// `PATCH /api/messages/{id}`: `{"message"}`, the new text.
public struct EditMessageRequest: Codable, Hashable, Sendable {
    /// The new text.
    public var message: String

    /// Creates a request.
    public init(message: String) {
        self.message = message
    }
}

/// A message as REST returns it:
/// `{"id","room_id","room","seq","username","message","timestamp"}` plus `"client_msg_id"` when
/// the sender gave one and `"edited_at"` once it was edited. The `"message"` server frame is the
/// same fields after `"type":"message"`.
public struct MessageBody: Codable, Hashable, Sendable, WireEncodable {
    /// The message's global id.
    public var id: Int64
    /// Its room's id.
    public var roomID: Int64
    /// Its room's name.
    public var room: String
    /// Its place in the room: 1, 2, 3 … without gaps.
    public var seq: Int64
    /// The sender's username.
    public var username: String
    /// The text.
    public var message: String
    /// When it was accepted, as an ISO 8601 UTC timestamp with milliseconds.
    public var timestamp: String
    /// The sender's own id for the message; omitted from the JSON when `nil`.
    public var clientMessageID: String?
    /// When the text was last edited, as a timestamp; omitted when it never was.
    public var editedAt: String?

    /// Creates a body.
    public init(
        id: Int64, roomID: Int64, room: String, seq: Int64, username: String, message: String, timestamp: String,
        clientMessageID: String? = nil, editedAt: String? = nil
    ) {
        self.id = id
        self.roomID = roomID
        self.room = room
        self.seq = seq
        self.username = username
        self.message = message
        self.timestamp = timestamp
        self.clientMessageID = clientMessageID
        self.editedAt = editedAt
    }

    private enum CodingKeys: String, CodingKey {
        case id
        case roomID = "room_id"
        case room, seq, username, message, timestamp
        case clientMessageID = "client_msg_id"
        case editedAt = "edited_at"
    }

    /// Writes the object.
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writeFields(to: &writer)
        writer.endObject()
    }

    /// Writes the fields inside an already open object (the frame puts `"type"` first).
    func writeFields(to writer: inout JSONWriter) {
        writer.field("id", id)
        writer.field("room_id", roomID)
        writer.field("room", room)
        writer.field("seq", seq)
        writer.field("username", username)
        writer.field("message", message)
        writer.field("timestamp", timestamp)
        writer.field("client_msg_id", ifPresent: clientMessageID)
        writer.field("edited_at", ifPresent: editedAt)
    }

    /// A size hint: the text and names plus room for the rest.
    public var estimatedJSONSize: Int {
        190 + room.utf8.count + username.utf8.count + message.utf8.count + (clientMessageID?.utf8.count ?? 0)
    }
}
