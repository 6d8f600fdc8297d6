import ChatEngine

/// A text frame a client sends on the v1 socket (`/ws/v1`), with the request id it chose.
///
/// | `type` | fields (`?` optional) |
/// | --- | --- |
/// | `subscribe` | `room`, `after_seq`?, `epoch`? |
/// | `unsubscribe` | `room` |
/// | `send` | `room`, `text`, `client_msg_id`? |
/// | `typing` | `room`, `typing` |
/// | `read` | `room`, `seq` |
/// | `edit` | `message_id`, `text` |
/// | `delete` | `message_id` |
/// | `history` | `room`, `before_seq`?, `limit`? |
///
/// Every frame may carry `"id"` (an integer); the answer carries it back. Parsing is strict, as on
/// REST: a missing `type`, an unknown type or field, a mistyped field, invalid UTF-8 and non-JSON
/// are errors with the usual ``WireError`` messages, and carry the frame's id when it could be read.
public struct V1ClientFrame: Hashable, Sendable {
    /// The request id the client chose, if any.
    public let id: Int64?
    /// What it asks for.
    public let request: V1Request

    /// Creates a frame value.
    public init(id: Int64?, request: V1Request) {
        self.id = id
        self.request = request
    }

    /// Parses a text frame's bytes.
    public static func parse(_ bytes: some Collection<UInt8>) throws(V1FrameError) -> V1ClientFrame {
        let object: FrameObject
        let id: Int64?
        do throws(WireError) {
            object = try FrameObject(bytes)
            id = try object.optionalInteger("id")
        } catch {
            throw V1FrameError(id: nil, error: error)
        }
        do throws(WireError) {
            return V1ClientFrame(id: id, request: try request(object))
        } catch {
            throw V1FrameError(id: id, error: error)
        }
    }

    /// Parses a text frame.
    public static func parse(text: String) throws(V1FrameError) -> V1ClientFrame {
        try parse(text.utf8)
    }

    private static func request(_ object: FrameObject) throws(WireError) -> V1Request {
        let type = try object.string("type")
        func fields(_ names: [String]) throws(WireError) { try object.rejectUnknownFields(allowed: ["id", "type"] + names) }
        func room() throws(WireError) -> RoomID { RoomID(try object.integer("room")) }
        switch type {
        case "subscribe":
            try fields(["room", "after_seq", "epoch"])
            return .subscribe(room: try room(), afterSeq: try object.optionalInteger("after_seq"), epoch: try object.optionalString("epoch"))
        case "unsubscribe":
            try fields(["room"])
            return .unsubscribe(room: try room())
        case "send":
            try fields(["room", "text", "client_msg_id"])
            return .send(room: try room(), text: try object.string("text"), clientMessageID: try object.optionalString("client_msg_id"))
        case "typing":
            try fields(["room", "typing"])
            return .typing(room: try room(), isTyping: try object.bool("typing"))
        case "read":
            try fields(["room", "seq"])
            return .read(room: try room(), seq: try object.integer("seq"))
        case "edit":
            try fields(["message_id", "text"])
            return .edit(message: MessageID(try object.integer("message_id")), text: try object.string("text"))
        case "delete":
            try fields(["message_id"])
            return .delete(message: MessageID(try object.integer("message_id")))
        case "history":
            try fields(["room", "before_seq", "limit"])
            return .history(room: try room(), beforeSeq: try object.optionalInteger("before_seq"), limit: try object.optionalInteger("limit"))
        default:
            throw .unknownFrameType(type)
        }
    }
}

/// What a v1 client frame asks for.
public enum V1Request: Hashable, Sendable {
    /// Receive the room's frames; resume after `afterSeq` of `epoch` when given.
    case subscribe(room: RoomID, afterSeq: Int64?, epoch: String?)
    /// Stop receiving the room's frames.
    case unsubscribe(room: RoomID)
    /// Send a message.
    case send(room: RoomID, text: String, clientMessageID: String?)
    /// Start or stop typing.
    case typing(room: RoomID, isTyping: Bool)
    /// Move the read marker.
    case read(room: RoomID, seq: Int64)
    /// Replace a message's text.
    case edit(message: MessageID, text: String)
    /// Delete a message.
    case delete(message: MessageID)
    /// A page of history: the latest `limit` before `beforeSeq` (the newest without it).
    case history(room: RoomID, beforeSeq: Int64?, limit: Int64?)
}

/// A v1 frame that could not be read, with its request id when the id itself could be read.
public struct V1FrameError: Error, Hashable, Sendable {
    /// The frame's `id`, if it had a readable one.
    public let id: Int64?
    /// What is wrong.
    public let error: WireError
}
