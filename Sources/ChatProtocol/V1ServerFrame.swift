import ChatEngine

/// A message as the v1 protocol shows it:
/// `{"id","room","seq","user":{"id","username"},"text","sent_at","client_msg_id"?,"edited_at"?,"deleted"?}`.
/// `text` is `null` once the message is deleted (`"deleted":true`); `edited_at` appears once it
/// was edited; timestamps are ISO 8601 UTC with milliseconds, as on REST.
public struct V1Message: Hashable, Sendable, WireEncodable {
    /// The engine's message.
    public let message: Message
    /// Its sender's username.
    public let username: String

    /// The v1 view of `message`, sent by `username`.
    public init(_ message: Message, username: String) {
        self.message = message
        self.username = username
    }

    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", message.id.rawValue)
        writer.field("room", message.room.rawValue)
        writer.field("seq", message.seq)
        writer.key("user")
        writer.value(UserBody(id: message.sender.rawValue, username: username))
        writer.key("text")
        if message.isDeleted { writer.null() } else { writer.string(message.text) }
        writer.key("sent_at")
        writer.timestamp(message.sentAt)
        writer.field("client_msg_id", ifPresent: message.clientMessageID)
        if let editedAt = message.editedAt {
            writer.key("edited_at")
            writer.timestamp(editedAt)
        }
        if message.isDeleted { writer.field("deleted", true) }
        writer.endObject()
    }

    public var estimatedJSONSize: Int {
        200 + username.utf8.count + message.text.utf8.count + (message.clientMessageID?.utf8.count ?? 0)
    }
}

/// A frame the server sends on the v1 socket; `"type"` first, then `"id"` for the answer to a
/// client frame that carried one. See `docs/protocol.md`.
public enum V1ServerFrame: Hashable, Sendable, WireEncodable {
    /// The first frame of a socket: who it is and its session.
    case hello(user: UserBody, session: String)
    /// The answer to `subscribe`: the room's epoch and seqs, and either every missed message
    /// (`recovered` true) or the latest page.
    case subscribed(id: Int64?, room: RoomID, epoch: String, lastSeq: Int64, readSeq: Int64, recovered: Bool, messages: [V1Message])
    /// The answer to `unsubscribe`, `read`, `edit`, `delete`.
    case ok(id: Int64?)
    /// The answer to `send`: the stored message (`duplicate` for a retry of a stored client id).
    case ack(id: Int64?, message: V1Message, duplicate: Bool)
    /// The answer to `history`: a page, oldest first.
    case history(id: Int64?, room: RoomID, messages: [V1Message])
    /// A message of a subscribed room.
    case message(V1Message)
    /// A user started or stopped typing in a subscribed room.
    case typing(room: RoomID, user: UserBody, isTyping: Bool)
    /// A user came online in a subscribed room (first socket) or went offline (last socket).
    case presence(room: RoomID, user: UserBody, isOnline: Bool)
    /// A member was added or removed, or their role changed (`change` "added", "removed", "role").
    case membership(room: RoomID, user: UserBody, change: String, role: Role?)
    /// The user became a member of a room: it may subscribe.
    case room(RoomBody)
    /// The socket no longer receives a room's frames (`reason` "removed": the user left the group).
    case unsubscribed(room: RoomID, reason: String)
    /// The user read a room up to `seq` on another socket.
    case read(room: RoomID, seq: Int64)
    /// A message of a subscribed room was edited.
    case edited(V1Message)
    /// A message of a subscribed room was deleted.
    case deleted(room: RoomID, messageID: MessageID, seq: Int64)
    /// A refusal: a stable machine word and the exact human message REST uses for the same refusal.
    case error(id: Int64?, code: String, message: String)

    /// The frame's JSON bytes, to share between recipients.
    public func encoded() -> [UInt8] { WireEncoder.encode(self) }

    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        switch self {
        case .hello(let user, let session):
            writer.field("type", "hello")
            writer.key("user")
            writer.value(user)
            writer.field("session", session)
        case .subscribed(let id, let room, let epoch, let lastSeq, let readSeq, let recovered, let messages):
            header("subscribed", id: id, to: &writer)
            writer.field("room", room.rawValue)
            writer.field("epoch", epoch)
            writer.field("last_seq", lastSeq)
            writer.field("read_seq", readSeq)
            writer.field("recovered", recovered)
            Self.list("messages", messages, to: &writer)
        case .ok(let id):
            header("ok", id: id, to: &writer)
        case .ack(let id, let message, let duplicate):
            header("ack", id: id, to: &writer)
            writer.key("message")
            writer.value(message)
            if duplicate { writer.field("duplicate", true) }
        case .history(let id, let room, let messages):
            header("history", id: id, to: &writer)
            writer.field("room", room.rawValue)
            Self.list("messages", messages, to: &writer)
        case .message(let message):
            Self.messagePush("message", message, to: &writer)
        case .typing(let room, let user, let isTyping):
            Self.userPush("typing", room: room, user: user, to: &writer)
            writer.field("typing", isTyping)
        case .presence(let room, let user, let isOnline):
            Self.userPush("presence", room: room, user: user, to: &writer)
            writer.field("online", isOnline)
        case .membership(let room, let user, let change, let role):
            Self.userPush("membership", room: room, user: user, to: &writer)
            writer.field("change", change)
            writer.field("role", ifPresent: role?.rawValue)
        case .room(let room):
            writer.field("type", "room")
            writer.key("room")
            writer.value(room)
        case .unsubscribed(let room, let reason):
            writer.field("type", "unsubscribed")
            writer.field("room", room.rawValue)
            writer.field("reason", reason)
        case .read(let room, let seq):
            writer.field("type", "read")
            writer.field("room", room.rawValue)
            writer.field("seq", seq)
        case .edited(let message):
            Self.messagePush("edited", message, to: &writer)
        case .deleted(let room, let messageID, let seq):
            writer.field("type", "deleted")
            writer.field("room", room.rawValue)
            writer.field("message_id", messageID.rawValue)
            writer.field("seq", seq)
        case .error(let id, let code, let message):
            header("error", id: id, to: &writer)
            writer.field("code", code)
            writer.field("error", message)
        }
        writer.endObject()
    }

    private func header(_ type: String, id: Int64?, to writer: inout JSONWriter) {
        writer.field("type", type)
        if let id { writer.field("id", id) }
    }

    /// `"type"`, `"room"` and `"message"` of a push about a message.
    private static func messagePush(_ type: String, _ message: V1Message, to writer: inout JSONWriter) {
        writer.field("type", type)
        writer.field("room", message.message.room.rawValue)
        writer.key("message")
        writer.value(message)
    }

    /// `"type"`, `"room"` and `"user"` of a push about a user in a room.
    private static func userPush(_ type: String, room: RoomID, user: UserBody, to writer: inout JSONWriter) {
        writer.field("type", type)
        writer.field("room", room.rawValue)
        writer.key("user")
        writer.value(user)
    }

    private static func list(_ name: String, _ messages: [V1Message], to writer: inout JSONWriter) {
        writer.key(name)
        writer.beginArray()
        for message in messages { writer.value(message) }
        writer.endArray()
    }

    public var estimatedJSONSize: Int {
        switch self {
        case .subscribed(_, _, _, _, _, _, let messages), .history(_, _, let messages):
            messages.reduce(160) { $0 + $1.estimatedJSONSize }
        case .ack(_, let message, _), .message(let message), .edited(let message):
            message.estimatedJSONSize + 64
        case .error(_, _, let message):
            96 + message.utf8.count
        default:
            192
        }
    }
}
