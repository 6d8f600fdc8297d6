import ChatEngine

/// What a v1 socket receives for an engine delivery, shared by the server and the in-process
/// fixture replay so both produce the same bytes. Names are looked up in the engine.
public enum V1PushFrames {
    /// The encoded frame for `payload` (every payload has one on the v1 socket).
    public static func encode(_ payload: Payload, in engine: borrowing ChatEngine) -> [UInt8] {
        frame(payload, in: engine).encoded()
    }

    /// The frame for `payload`.
    public static func frame(_ payload: Payload, in engine: borrowing ChatEngine) -> V1ServerFrame {
        switch payload {
        case .message(let message):
            .message(V1Message(message, username: username(message.sender, engine)))
        case .typing(let room, let user, let isTyping):
            .typing(room: room, user: userBody(user, engine), isTyping: isTyping)
        case .presence(let room, let user, let isOnline):
            .presence(room: room, user: userBody(user, engine), isOnline: isOnline)
        case .membership(let room, .added(let user, let role)):
            .membership(room: room, user: userBody(user, engine), change: "added", role: role)
        case .membership(let room, .removed(let user)):
            .membership(room: room, user: userBody(user, engine), change: "removed", role: nil)
        case .membership(let room, .roleChanged(let user, let role)):
            .membership(room: room, user: userBody(user, engine), change: "role", role: role)
        case .unsubscribed(let room, .removedFromRoom), .left(let room):
            .unsubscribed(room: room, reason: "removed")
        case .edited(let message):
            .edited(V1Message(message, username: username(message.sender, engine)))
        case .deleted(let message):
            .deleted(room: message.room, messageID: message.id, seq: message.seq)
        case .readMarker(let room, let seq):
            .read(room: room, seq: seq)
        case .joined(let room):
            .room(RoomBody(room, in: engine))
        }
    }

    /// A message as v1 shows it, its sender named from the engine.
    public static func message(_ message: Message, in engine: borrowing ChatEngine) -> V1Message {
        V1Message(message, username: username(message.sender, engine))
    }

    private static func username(_ user: UserID, _ engine: borrowing ChatEngine) -> String { engine.user(user)?.username ?? "" }
    private static func userBody(_ user: UserID, _ engine: borrowing ChatEngine) -> UserBody { UserBody(id: user.rawValue, username: username(user, engine)) }
}
