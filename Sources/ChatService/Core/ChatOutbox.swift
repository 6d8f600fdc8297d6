import ChatEngine

/// Where the service's frames go: the server's bounded socket queues, or an in-memory outbox in
/// tests and fixture replays. Calls come in commit order and must not wait on any socket.
public protocol ChatOutbox: Sendable {
    /// Hands each delivery's frame to its recipients (what one committed batch produced).
    func deliver(_ deliveries: [OutboundDelivery])

    /// A frame for one socket alone (an error frame, a retry's acknowledgement, a refusal).
    func send(_ frame: OutboundFrame, to session: SessionID)

    /// Closes every socket with `code` after what is already queued for it (the engine was
    /// rebuilt from the store: every session is gone).
    func closeAll(code: UInt16)
}
