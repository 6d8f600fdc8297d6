/// A message the engine accepted.
///
/// Deliveries carry this value; its text is a `String`, whose storage is shared by every copy,
/// so fanning a message out to many sessions never copies the text.
public struct Message: Hashable, Sendable {
    /// The global id, increasing across all rooms.
    public let id: MessageID
    /// The room it was sent to.
    public let room: RoomID
    /// Its place in the room: 1, 2, 3 … without gaps.
    public let seq: Int64
    /// The authenticated sender (never a name the client claimed).
    public let sender: UserID
    /// The text, 1 to ``ChatConfiguration/maxMessageLength`` characters, not only whitespace.
    public let text: String
    /// The sender's own id for this message, which makes retries idempotent.
    public let clientMessageID: String?
    /// When it was accepted.
    public let sentAt: Instant

    /// Creates a message value (the engine does this; stores use it to hand messages back).
    public init(id: MessageID, room: RoomID, seq: Int64, sender: UserID, text: String, clientMessageID: String?, sentAt: Instant) {
        self.id = id
        self.room = room
        self.seq = seq
        self.sender = sender
        self.text = text
        self.clientMessageID = clientMessageID
        self.sentAt = sentAt
    }
}
