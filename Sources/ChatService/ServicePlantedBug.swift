#if DEBUG
/// A realistic mistake in the service (not the engine) that a debug build can switch on
/// (``ServiceConfiguration/plantedBug``), to prove that exploration through the service finds
/// it and shrinks it to a short fixture; the engine's own are ``ChatEngine/PlantedBug``.
///
/// Each is checked at the one place where the real mistake would be, and changes a line or two
/// there. Release builds have neither this type nor the switch.
public enum ServicePlantedBug: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Payloads the seed protocol has no frame for (edits, deletions, read markers, membership)
    /// reach seed sockets as v1 frames, which old clients do not know.
    case seedSocketsGetV1Frames
    /// A v1 sender gets its message pushed as well as acknowledged.
    case senderGetsPushAndAck
    /// REST history pages list deleted messages.
    case historyShowsDeleted
    /// Unread counts include the reader's own messages.
    case unreadCountsOwnMessages
    /// A v1 retry's acknowledgement does not say it was a duplicate.
    case duplicateAckUnflagged

    public var description: String { rawValue }
}
#endif
