import ChatEngine
import ChatProtocol

/// Response bodies built from the engine's state.
extension ChatEngine {
    /// A room with its members' usernames, in join order.
    func body(of room: Room) -> RoomBody {
        RoomBody(room, members: members(of: room.id).compactMap { user($0.user)?.username })
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
