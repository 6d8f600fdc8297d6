/// What came of a fixture action.
public enum ActionOutcome: Equatable, Sendable {
    case ok
    /// Refused with this exact message.
    case error(String)
    /// A socket refused at connect: its error frame's message and close code.
    case refused(String, close: Int)
}

/// Runs fixture actions against something: the engine in-process, or a live server. Actions
/// reach it with their variables already replaced by their values.
public protocol FixtureDriver {
    /// Performs an action.
    mutating func perform(_ action: FixtureAction) async throws -> ActionOutcome
    /// Frames each socket received since the last call, in order; a close is `{"closed": code}`.
    /// `expected` says how many frames (of types not in `ignoring`) each socket should have: a
    /// driver whose frames arrive asynchronously waits for at least that many, then briefly for
    /// any extra, so a slow machine delays the answer but does not change it.
    mutating func takeFrames(expected: [String: Int], ignoring: Set<String>) async throws -> [String: [FixtureValue]]
    /// A room's messages as `as` reads them (all, or after a seq), or the refusal's message.
    mutating func history(as user: String, room: RoomReference, after: Int?) async throws -> Result<[FixtureValue], FixtureRefusal>
    /// The usernames online in a room, or the refusal's message.
    mutating func online(as user: String, room: RoomReference) async throws -> Result<[String], FixtureRefusal>
    /// The rooms `user` sees, each with its read state (`last_seq`, `read_seq`, `unread`), or
    /// the refusal's message.
    mutating func rooms(as user: String) async throws -> Result<[FixtureValue], FixtureRefusal>
}

/// A refusal's human message.
public struct FixtureRefusal: Error, Equatable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
}
