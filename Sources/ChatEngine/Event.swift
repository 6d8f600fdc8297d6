/// An output of the engine: a fact to persist, or a delivery to write to sessions.
public enum Event: Hashable, Sendable {
    /// Something that happened and must be stored; replaying facts rebuilds the engine.
    case fact(Fact)
    /// A payload for a list of sessions.
    case delivery(Delivery)
}

/// A durable change of the chat's state. A store keeps these; ``ChatEngine/init(configuration:restoring:)``
/// rebuilds an engine from them. `Codable`, so a store that several nodes share can log them for the others.
public enum Fact: Hashable, Codable, Sendable {
    /// A user registered.
    case userRegistered(User)
    /// A room was created.
    case roomCreated(Room)
    /// A user became a member of a group or private room.
    case memberAdded(RoomID, Member)
    /// A member left or was removed.
    case memberRemoved(RoomID, UserID)
    /// A member's role changed (including an inherited ownership).
    case roleChanged(RoomID, UserID, Role)
    /// A group room lost its last member; it takes no more commands.
    case roomArchived(RoomID)
    /// A message was accepted with the next sequence number of its room.
    case messageAccepted(Message)
    /// A message's text was replaced (the value is the message as it now is).
    case messageEdited(Message)
    /// A message was deleted (the value is the message as it now is: no text).
    case messageDeleted(Message)
    /// A user's read marker in a room moved forward to a seq.
    case readMarkerMoved(RoomID, UserID, seq: Int64)
}

/// A payload and the sessions it goes to, in ascending session order.
///
/// One delivery value serves every recipient: the payload (and a message's text) is shared,
/// never copied per recipient.
public struct Delivery: Hashable, Sendable {
    /// The sessions that receive the payload, ascending.
    public let recipients: [SessionID]
    /// What they receive.
    public let payload: Payload

    /// Creates a delivery.
    public init(to recipients: [SessionID], _ payload: Payload) {
        self.recipients = recipients
        self.payload = payload
    }
}

/// What a session receives.
public enum Payload: Hashable, Sendable {
    /// A message of a room the session is in (the sender's own sessions included: their acknowledgement).
    case message(Message)
    /// A user started or stopped typing in a room.
    case typing(RoomID, UserID, isTyping: Bool)
    /// A user came online (first session in the room) or went offline (last session left).
    case presence(RoomID, UserID, isOnline: Bool)
    /// The room's membership changed.
    case membership(RoomID, MembershipChange)
    /// The session is no longer in the room and receives nothing more from it.
    case unsubscribed(RoomID, because: UnsubscribeReason)
    /// A message of the room was edited (the message as it now is).
    case edited(Message)
    /// A message of the room was deleted (the message as it now is: no text).
    case deleted(Message)
    /// The session's user has read the room up to a seq (sent to the user's other sessions).
    case readMarker(RoomID, seq: Int64)
    /// The session's user became a member of a room (a new group, an added member, a new
    /// private room) and may subscribe to it. Sent to every open session of the user.
    case joined(Room)
    /// The session's user is no longer a member of the room (removed, or left); sent to the
    /// user's sessions that were not subscribed to it (those get ``unsubscribed(_:because:)``).
    case left(RoomID)
}

/// A change to a room's members.
public enum MembershipChange: Hashable, Sendable {
    /// A user joined with a role.
    case added(UserID, Role)
    /// A user left or was removed.
    case removed(UserID)
    /// A member's role changed.
    case roleChanged(UserID, Role)
}

/// Why the engine ended a session's subscription on its own.
public enum UnsubscribeReason: Hashable, Sendable {
    /// The session's user is no longer a member of the room.
    case removedFromRoom
}
