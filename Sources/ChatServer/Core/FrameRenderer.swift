import ChatEngine
import ChatProtocol
import NIOCore

/// Turns the engine's deliveries into seed-protocol frames, encoding each payload once.
enum FrameRenderer {
    /// The frames for `events`' deliveries; names are looked up in `engine`.
    static func render(_ events: [Event], engine: borrowing ChatEngine, acceptedAt: ContinuousClock.Instant) -> [RenderedDelivery] {
        var rendered: [RenderedDelivery] = []
        for case .delivery(let delivery) in events {
            guard let (frame, closeCode) = SeedFrames.encode(delivery.payload, in: engine) else { continue }
            let buffer = ByteBuffer(bytes: frame)
            let action: RenderedDelivery.Action = closeCode.map { .close(buffer, code: $0) } ?? .frame(buffer)
            let isMessage = if case .message = delivery.payload { true } else { false }
            rendered.append(RenderedDelivery(recipients: delivery.recipients, action: action, acceptedAt: isMessage ? acceptedAt : nil))
        }
        return rendered
    }

    /// An encoded frame in a buffer.
    static func buffer(_ frame: ServerFrame) -> ByteBuffer { ByteBuffer(bytes: frame.encoded()) }
}
