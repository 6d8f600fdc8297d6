import ChatEngine
import NIOCore

/// A delivery turned into what sockets receive: one encoded frame shared by every recipient.
struct RenderedDelivery: Sendable {
    /// What to do on each recipient's socket.
    enum Action: Sendable {
        /// Write this text frame (the same buffer for everyone; NIO never copies it).
        case frame(ByteBuffer)
        /// Write this error frame, then close with `code`.
        case close(ByteBuffer, code: UInt16)
    }

    let recipients: [SessionID]
    let action: Action
    /// When the message behind this delivery was accepted (for the send→delivery latency).
    let acceptedAt: ContinuousClock.Instant?
}
