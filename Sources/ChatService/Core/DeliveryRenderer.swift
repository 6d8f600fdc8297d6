import ChatEngine
import ChatProtocol

/// Turns the engine's deliveries into seed-protocol frames, encoding each payload once.
enum DeliveryRenderer {
    /// The frames for `events`' deliveries; names are looked up in `engine`. Payloads the seed
    /// protocol has no frame for are left out.
    static func render(_ events: [Event], engine: borrowing ChatEngine, acceptedAt: ContinuousClock.Instant) -> [OutboundDelivery] {
        var rendered: [OutboundDelivery] = []
        for case .delivery(let delivery) in events {
            guard let (frame, closeCode) = SeedFrames.encode(delivery.payload, in: engine) else { continue }
            let outbound: OutboundFrame = closeCode.map { .close(frame, code: $0) } ?? .text(frame)
            let isMessage = if case .message = delivery.payload { true } else { false }
            rendered.append(OutboundDelivery(recipients: delivery.recipients, frame: outbound, acceptedAt: isMessage ? acceptedAt : nil))
        }
        return rendered
    }

    /// An error frame with `message`.
    static func error(_ message: String) -> [UInt8] { ServerFrame.error(message).encoded() }
}
