/// A message the engine accepted.
///
/// Deliveries carry this value; its text is a `String`, whose storage is shared by every copy,
/// so fanning a message out to many sessions never copies the text.
public struct Message: Hashable, Codable, Sendable {
    /// The global id, increasing across all rooms.
    public let id: MessageID
    /// The room it was sent to.
    public let room: RoomID
    /// Its place in the room: 1, 2, 3 … without gaps.
    public let seq: Int64
    /// The authenticated sender (never a name the client claimed).
    public let sender: UserID
    /// The text, 1 to ``ChatConfiguration/maxMessageLength`` characters, not only whitespace;
    /// empty once the message is deleted.
    public let text: String
    /// The sender's own id for this message, which makes retries idempotent.
    public let clientMessageID: String?
    /// When it was accepted.
    public let sentAt: Instant
    /// When its text was last edited, if ever.
    public let editedAt: Instant?
    /// Whether it was deleted: its place (id, seq) stays, its text is gone.
    public let isDeleted: Bool

    /// Creates a message value (the engine does this; stores use it to hand messages back).
    public init(
        id: MessageID, room: RoomID, seq: Int64, sender: UserID, text: String, clientMessageID: String?, sentAt: Instant,
        editedAt: Instant? = nil, isDeleted: Bool = false
    ) {
        self.id = id
        self.room = room
        self.seq = seq
        self.sender = sender
        self.text = text
        self.clientMessageID = clientMessageID
        self.sentAt = sentAt
        self.editedAt = editedAt
        self.isDeleted = isDeleted
    }

    /// This message with `text` as edited at `instant`.
    public func edited(to text: String, at instant: Instant) -> Message {
        Message(id: id, room: room, seq: seq, sender: sender, text: text, clientMessageID: clientMessageID, sentAt: sentAt, editedAt: instant, isDeleted: false)
    }

    /// This message deleted: same id and seq, no text.
    public var deleted: Message {
        Message(id: id, room: room, seq: seq, sender: sender, text: "", clientMessageID: clientMessageID, sentAt: sentAt, editedAt: editedAt, isDeleted: true)
    }
}
