import ChatEngine
import ChatProtocol

/// Response bodies built from the engine's state.
extension ChatEngine {
    /// A room with its members' usernames, in join order, and a group's roles.
    func body(of room: Room) -> RoomBody {
        RoomBody(room, in: self)
    }

    /// A message with its sender's and room's names.
    func body(of message: Message) -> MessageBody {
        MessageBody(message, username: user(message.sender)?.username ?? "", roomName: room(message.room)?.name ?? "")
    }
}

extension ChatService {
    /// A message as REST shows it, with its sender's and room's names.
    public func body(of message: Message) -> MessageBody {
        read { $0.body(of: message) }
    }
}
