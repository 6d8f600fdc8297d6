/// Tunable limits of a ``ChatEngine``.
public struct ChatConfiguration: Hashable, Sendable {
    /// How long a typing indicator lasts after the last "typing" command, in milliseconds.
    public var typingTimeout: Int64
    /// How many of each room's latest messages the engine keeps for resume and duplicate
    /// detection; older history is the store's job. At least 1.
    public var recentMessagesPerRoom: Int
    /// The longest accepted message, in `Character`s.
    public var maxMessageLength: Int
#if DEBUG
    /// Debug builds only: a mistake to plant in the engine, for tests that prove exploration
    /// finds it (`nil`, the default: none).
    public var plantedBug: PlantedBug?
#endif

    /// Creates a configuration; the defaults are those of the seed application.
    public init(typingTimeout: Int64 = 5_000, recentMessagesPerRoom: Int = 100, maxMessageLength: Int = 4_000) {
        precondition(typingTimeout > 0, "typingTimeout must be positive")
        precondition(recentMessagesPerRoom >= 1, "recentMessagesPerRoom must be at least 1")
        precondition(maxMessageLength >= 1, "maxMessageLength must be at least 1")
        self.typingTimeout = typingTimeout
        self.recentMessagesPerRoom = recentMessagesPerRoom
        self.maxMessageLength = maxMessageLength
    }
}
