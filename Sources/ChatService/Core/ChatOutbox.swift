import ChatEngine

/// Where the service's frames go: the server's bounded socket queues, or an in-memory outbox in
/// tests and fixture replays. Calls come in commit order and must not wait on any socket.
public protocol ChatOutbox: Sendable {
    /// What ``prepare(_:)`` makes of a command's deliveries; by default, the deliveries.
    associatedtype Prepared: Sendable = [OutboundDelivery]

    /// Readies a command's deliveries when the command runs, before its commit, on the thread
    /// that ran it: work done once per frame (encoding it for the wire) stays off the store's
    /// one committer, which then only hands the result over.
    func prepare(_ deliveries: [OutboundDelivery]) -> Prepared

    /// Hands each prepared delivery's frame to its recipients, once its command is committed.
    func deliver(_ prepared: Prepared)

    /// A frame for one socket alone (an error frame, a retry's acknowledgement, a refusal).
    func send(_ frame: OutboundFrame, to session: SessionID)

    /// Closes every socket with `code` after what is already queued for it (the engine was
    /// rebuilt from the store: every session is gone).
    func closeAll(code: UInt16)
}

extension ChatOutbox where Prepared == [OutboundDelivery] {
    /// Nothing to ready: the deliveries are handed over as they are.
    public func prepare(_ deliveries: [OutboundDelivery]) -> [OutboundDelivery] { deliveries }
}

/// An outbox's ``ChatOutbox/prepare(_:)`` and ``ChatOutbox/deliver(_:)`` joined, whatever its
/// prepared type: readying deliveries gives what hands them over later.
struct DeliveryHandOver: Sendable {
    /// Readies deliveries now; the result delivers them when called.
    let prepare: @Sendable ([OutboundDelivery]) -> @Sendable () -> Void

    init<Outbox: ChatOutbox>(_ outbox: Outbox) {
        prepare = { deliveries in
            let prepared = outbox.prepare(deliveries)
            return { outbox.deliver(prepared) }
        }
    }
}
