import ChatEngine

/// What an accepted command answered, for `try #require(outcome.sent)`: nil when the command
/// was refused or answered something else, so a test whose setup failed fails instead of
/// passing without checking anything.
extension Outcome {
    /// The registered user.
    public var user: User? {
        if case .success(.user(let user)) = result { user } else { nil }
    }

    /// The room created, opened or subscribed to.
    public var room: Room? {
        if case .success(.room(let room)) = result { room } else { nil }
    }

    /// The message this send stored (not a duplicate's).
    public var sent: Message? {
        if case .success(.sent(let message)) = result { message } else { nil }
    }

    /// The message stored earlier under this send's client message id.
    public var duplicate: Message? {
        if case .success(.duplicate(let message)) = result { message } else { nil }
    }
}
