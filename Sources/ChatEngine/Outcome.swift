/// What one command produced: its result and the events it caused, in the order they happened.
///
/// `events` may hold typing expiries that fell due before the command's instant even when the
/// command itself was rejected; a rejected command adds no events of its own.
public struct Outcome: Hashable, Sendable {
    /// The command's answer, or why it was refused.
    public var result: Result<Reply, Rejection>
    /// Facts to persist and deliveries to write, in order.
    public var events: [Event]

    /// Creates an outcome.
    public init(_ result: Result<Reply, Rejection>, events: [Event] = []) {
        self.result = result
        self.events = events
    }

    /// The rejection, if the command was refused.
    public var rejection: Rejection? {
        if case .failure(let rejection) = result { return rejection }
        return nil
    }
}

/// The answer to an accepted command.
public enum Reply: Hashable, Sendable {
    /// Accepted; the events say what changed.
    case done
    /// The registered user.
    case user(User)
    /// The room created, opened or subscribed to.
    case room(Room)
    /// The message stored by this send.
    case sent(Message)
    /// This send repeated a client message id: the message stored the first time, and nothing new.
    case duplicate(Message)
    /// The message as an edit or a delete left it.
    case message(Message)
}
