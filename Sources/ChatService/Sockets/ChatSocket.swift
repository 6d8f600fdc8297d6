import ChatEngine

/// One open socket's protocol, seed or v1: its messages become commands without waiting for them
/// to be stored, and its frames go to the outbox in order.
///
/// Hand it the socket's complete messages one at a time, in order: when ``receive(text:)``
/// returns a step, await it before the next message (a store lookup that must come first).
public protocol ChatSocket: Sendable {
    /// The engine session this socket is.
    var session: SessionID { get }
    /// Handles one complete text message (its UTF-8 already checked by the transport). Returns
    /// the step still to be awaited before the next message, if any.
    func receive(text bytes: some Collection<UInt8>) -> ChatSocketStep?
    /// A binary message: neither protocol has one (an error frame; the socket stays open).
    func receiveBinary()
    /// The socket is gone: its engine session is closed (typing stops, presence goes).
    func close() async
}

/// What must finish before a socket's next message is handled.
public typealias ChatSocketStep = @Sendable () async -> Void
