/// A page of a room's recent messages, and the seqs the engine could not provide.
public struct MessagePage: Hashable, Sendable {
    /// The messages, oldest first.
    public let messages: [Message]
    /// Seqs that belong in this page but are no longer held by the engine (older than its
    /// recent window): ask the store for them. `nil` when nothing is missing.
    public let missing: ClosedRange<Int64>?

    /// Creates a page.
    public init(messages: [Message], missing: ClosedRange<Int64>?) {
        self.messages = messages
        self.missing = missing
    }
}
