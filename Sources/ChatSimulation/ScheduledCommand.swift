import ChatEngine

/// One step of a run: a command and the instant at which it happens.
///
/// A list of these replays a run exactly (``Replay/firstViolation(in:configuration:engine:)``);
/// a shrunk counterexample is one, ready to be written down as a fixture.
public struct ScheduledCommand: Hashable, Sendable, CustomStringConvertible {
    /// What happens.
    public var command: Command
    /// When it happens (non-decreasing along a run).
    public var instant: Instant

    /// Creates a step.
    public init(_ command: Command, at instant: Instant) {
        self.command = command
        self.instant = instant
    }

    /// `at N ms: command`, with long message texts abbreviated to their first characters and length.
    public var description: String {
        guard case .send(let user, let room, let text, let clientMessageID, let via) = command, text.count > 24 else {
            return "at \(instant): \(command)"
        }
        let shortened = "\(String(reflecting: String(text.prefix(8))))… (\(text.count) characters)"
        return "at \(instant): send(by: \(user), room: \(room), text: \(shortened), "
            + "clientMessageID: \(String(describing: clientMessageID)), via: \(String(describing: via)))"
    }
}
