import ChatEngine

/// A frame for sockets, encoded once and shared by all its recipients.
public enum OutboundFrame: Hashable, Sendable {
    /// A text frame with this JSON.
    case text([UInt8])
    /// An optional last text frame, then a close frame with `code`.
    case close([UInt8]?, code: UInt16)
}

/// A delivery turned into what sockets receive: one encoded frame for every recipient.
public struct OutboundDelivery: Sendable {
    /// The sessions (sockets) it goes to.
    public let recipients: [SessionID]
    public let frame: OutboundFrame
    /// When the message behind it was accepted (for send→delivery latency), if it is a message.
    public let acceptedAt: ContinuousClock.Instant?

    public init(recipients: [SessionID], frame: OutboundFrame, acceptedAt: ContinuousClock.Instant? = nil) {
        self.recipients = recipients
        self.frame = frame
        self.acceptedAt = acceptedAt
    }
}
