import ChatEngine

/// What the explorer drives: the real ``ChatEngine``, or a wrapper around it (tests plant bugs
/// in one to prove the checker finds them).
public protocol EngineUnderTest {
    /// Handles one command at `now`, like ``ChatEngine/handle(_:at:)``.
    mutating func handle(_ command: Command, at now: Instant) -> Outcome
    /// The users with at least one session subscribed to the room, ascending, like
    /// ``ChatEngine/onlineUsers(in:)``.
    func onlineUsers(in room: RoomID) -> [UserID]
}

extension ChatEngine: EngineUnderTest {}
