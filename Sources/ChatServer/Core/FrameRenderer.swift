import ChatEngine
import ChatProtocol
import NIOCore

/// Turns the engine's deliveries into seed-protocol frames, encoding each payload once.
enum FrameRenderer {
    /// The frames for `events`' deliveries; names are looked up in `engine`.
    static func render(_ events: [Event], engine: ChatEngine, acceptedAt: ContinuousClock.Instant) -> [RenderedDelivery] {
        var rendered: [RenderedDelivery] = []
        for case .delivery(let delivery) in events {
            guard let action = action(for: delivery.payload, engine: engine) else { continue }
            let isMessage = if case .message = delivery.payload { true } else { false }
            rendered.append(RenderedDelivery(recipients: delivery.recipients, action: action, acceptedAt: isMessage ? acceptedAt : nil))
        }
        return rendered
    }

    private static func action(for payload: Payload, engine: ChatEngine) -> RenderedDelivery.Action? {
        switch payload {
        case .message(let message):
            let bytes = ServerFrame.encodedMessage(message, username: name(of: message.sender, engine), roomName: engine.room(message.room)?.name ?? "")
            return .frame(ByteBuffer(bytes: bytes))
        case .typing(let room, let user, let isTyping):
            return .frame(buffer(.typing(room: engine.room(room)?.name ?? "", username: name(of: user, engine), isTyping: isTyping)))
        case .presence(let room, let user, let isOnline):
            return .frame(buffer(.presence(room: engine.room(room)?.name ?? "", username: name(of: user, engine), isOnline: isOnline)))
        case .unsubscribed:
            return .close(buffer(.error(Rejection.notMember.message)), code: 4403)
        case .membership:
            // The seed protocol has no membership frame; REST shows the members.
            return nil
        }
    }

    /// An encoded frame in a buffer.
    static func buffer(_ frame: ServerFrame) -> ByteBuffer { ByteBuffer(bytes: frame.encoded()) }

    private static func name(of user: UserID, _ engine: ChatEngine) -> String { engine.user(user)?.username ?? "" }
}
