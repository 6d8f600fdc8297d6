import ChatEngine
import ChatProtocol

/// Turns the engine's deliveries into frames, encoding each payload once per protocol: seed
/// frames for seed sockets, v1 frames for v1 sockets.
struct DeliveryRenderer: Sendable {
    #if DEBUG
    /// A bug planted in the rendering (debug builds only).
    var plantedBug: ServicePlantedBug?
    #endif

    /// The frames for `events`' deliveries; names are looked up in `engine`. `v1` holds the v1
    /// sessions; `acknowledged` is the v1 session whose send this was: it gets an `ack` from its
    /// own protocol instead of the `message` push. Payloads the seed protocol has no frame for
    /// reach v1 sockets only.
    func render(
        _ events: [Event], engine: borrowing ChatEngine, acceptedAt: ContinuousClock.Instant, v1: Set<SessionID>, acknowledged: SessionID?
    ) -> [OutboundDelivery] {
        var rendered: [OutboundDelivery] = []
        for case .delivery(let delivery) in events {
            let isMessage = if case .message = delivery.payload { true } else { false }
            let latency = isMessage ? acceptedAt : nil
            var seed = delivery.recipients
            var modern: [SessionID] = []
            if !v1.isEmpty {
                seed = []
                for session in delivery.recipients {
                    if v1.contains(session) {
                        #if DEBUG
                        let acknowledged = plantedBug == .senderGetsPushAndAck ? nil : acknowledged
                        #endif
                        if !(isMessage && session == acknowledged) { modern.append(session) }
                    } else {
                        seed.append(session)
                    }
                }
            }
            if !seed.isEmpty, let (frame, closeCode) = SeedFrames.encode(delivery.payload, in: engine) {
                let outbound: OutboundFrame = closeCode.map { .close(frame, code: $0) } ?? .text(frame)
                rendered.append(OutboundDelivery(recipients: seed, frame: outbound, acceptedAt: latency))
            }
            #if DEBUG
            // The planted mistake: what the seed protocol cannot say goes out in v1's words.
            if plantedBug == .seedSocketsGetV1Frames, !seed.isEmpty, SeedFrames.encode(delivery.payload, in: engine) == nil { modern += seed }
            #endif
            if !modern.isEmpty {
                rendered.append(OutboundDelivery(recipients: modern, frame: .text(V1PushFrames.encode(delivery.payload, in: engine)), acceptedAt: latency))
            }
        }
        return rendered
    }

    /// A seed error frame with `message`.
    static func error(_ message: String) -> [UInt8] { ServerFrame.error(message).encoded() }
}
