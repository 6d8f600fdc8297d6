import ChatEngine

// From the engine's values to the wire's. The engine knows ids; the caller supplies the names
// (a sender's username, a room's name, members' usernames) it resolved with the engine's reads.

extension MessageBody {
    /// The body of an engine message, given its sender's username and its room's name.
    public init(_ message: Message, username: String, roomName: String) {
        self.init(
            id: message.id.rawValue,
            roomID: message.room.rawValue,
            room: roomName,
            seq: message.seq,
            username: username,
            message: message.text,
            timestamp: ISO8601Timestamp.string(from: message.sentAt),
            clientMessageID: message.clientMessageID,
            editedAt: message.editedAt.map(ISO8601Timestamp.string(from:))
        )
    }
}

extension UserBody {
    /// The body of an engine user.
    public init(_ user: User) {
        self.init(id: user.id.rawValue, username: user.username)
    }
}

extension RoomBody {
    /// The body of an engine room, given its members' usernames (empty for a public room);
    /// `kind` is `"public"`, `"group"` or `"private"`.
    /// The body of `room` as `engine` has it: members' usernames in join order and, for a group,
    /// their roles.
    public init(_ room: Room, in engine: borrowing ChatEngine) {
        let members = engine.members(of: room.id).compactMap { member in engine.user(member.user).map { (member, $0.username) } }
        self.init(
            id: room.id.rawValue, name: room.name, kind: room.kind.rawValue, members: members.map(\.1),
            roles: room.kind == .group ? Dictionary(members.map { ($0.1, $0.0.role.rawValue) }, uniquingKeysWith: { first, _ in first }) : nil
        )
    }
}

extension ServerFrame {
    /// The message frame of an engine message, encoded: the bytes to share between every
    /// recipient. Writes the timestamp straight into the frame, without an intermediate body.
    public static func encodedMessage(_ message: Message, username: String, roomName: String) -> [UInt8] {
        var writer = JSONWriter(
            capacity: 176 + roomName.utf8.count + username.utf8.count + message.text.utf8.count
                + (message.clientMessageID?.utf8.count ?? 0)
        )
        writer.beginObject()
        writer.field("type", "message")
        writer.field("id", message.id.rawValue)
        writer.field("room_id", message.room.rawValue)
        writer.field("room", roomName)
        writer.field("seq", message.seq)
        writer.field("username", username)
        writer.field("message", message.text)
        writer.key("timestamp")
        writer.timestamp(message.sentAt)
        writer.field("client_msg_id", ifPresent: message.clientMessageID)
        writer.endObject()
        return writer.bytes
    }
}
