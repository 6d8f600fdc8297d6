#if DEBUG
/// A realistic mistake that a debug build can switch on (``ChatConfiguration/plantedBug``), to
/// prove that exploration (`ChatSimulation`) finds it and shrinks it to a short fixture.
///
/// Each is checked at the one place where the real mistake would be, and changes a line or two
/// there. Release builds have neither this type nor the switch, so a server cannot run with one.
public enum PlantedBug: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// A removed member's subscribed sessions are told so but stay subscribed.
    case removedMemberStaysSubscribed
    /// A room's third message takes seq 4.
    case seqSkippedOnce
    /// A typing indicator stops without `typing false` being delivered.
    case typingStopNotSent
    /// A private room's pair is not checked: anyone reads it.
    case thirdUserInPrivateRoom
    /// A retry over REST (no `via` session) is stored again instead of answered as a duplicate.
    case duplicateStored
    /// An owner who leaves a group hands it to nobody.
    case ownershipNotHandedOver
    /// A user's last session leaving a room is not delivered as presence offline.
    case presenceLeftNotSent
    /// An added member is not delivered to the room's sessions as a membership change.
    case memberAddedNotDelivered
    /// A removal changes the engine but emits no `memberRemoved` fact, so the store never learns it.
    case memberRemovedFactMissing
    /// A read marker moves to any other seq, backwards too.
    case readMarkerMovesBackwards
    /// A group's owner or admin may edit other people's messages (the delete rule, copied).
    case moderatorEditsOthersMessages
    /// A deletion is stored but the recent window keeps the message as it was.
    case deletedMessageStillHeld
    /// A page after a seq starts at that seq: a resuming client gets its last seen message again.
    case resumeRepeatsLastSeen
    /// A group's creator keeps seeing it in their rooms after leaving it.
    case visibleRoomsKeepCreatedGroups
    /// The next typing deadline is recomputed as the latest one instead of the earliest.
    case nextDeadlineLatest
    /// An engine restored from stored facts forgets the read markers.
    case restoreForgetsReadMarkers

    public var description: String { rawValue }
}
#endif

#if DEBUG
extension ChatEngine {
    /// Whether `bug` is planted in this engine.
    func isPlanted(_ bug: PlantedBug) -> Bool { configuration.plantedBug == bug }
}
#endif
