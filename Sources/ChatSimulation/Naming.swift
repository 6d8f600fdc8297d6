import ChatEngine

/// Writes ids the way a person reads them in a report: users and sessions by name, rooms by
/// id and name.
struct Naming {
    let model: ReferenceModel
    let sessions: [SessionID: String]

    func user(_ id: UserID) -> String {
        id.rawValue >= 1 && id.rawValue <= model.users.count ? model.users[Int(id.rawValue) - 1].username : "user \(id.rawValue)"
    }

    func room(_ id: RoomID) -> String {
        model.exists(id) ? "room \(id.rawValue) \(model.record(id).room.name.debugDescription)" : "room \(id.rawValue)"
    }

    func session(_ id: SessionID) -> String { sessions[id] ?? "session \(id.rawValue)" }

    func result(_ result: Result<Reply, Rejection>) -> String {
        switch result {
        case .success(let reply): "accepted (\(self.reply(reply)))"
        case .failure(let rejection): "rejected (\"\(rejection.message)\")"
        }
    }

    func reply(_ reply: Reply) -> String {
        switch reply {
        case .done: "done"
        case .user(let user): "user \(user.id.rawValue) \(user.username.debugDescription)"
        case .room(let room): "\(self.room(room.id))\(room.isArchived ? " archived" : "")"
        case .sent(let message): "sent \(self.message(message))"
        case .duplicate(let message): "duplicate of \(self.message(message))"
        case .message(let message): self.message(message)
        }
    }

    func message(_ message: Message) -> String {
        "message \(message.id.rawValue) (\(room(message.room)), seq \(message.seq), by \(user(message.sender))"
            + (message.isDeleted ? ", deleted" : ", \(message.text.shown)") + (message.editedAt == nil ? "" : ", edited") + ")"
    }

    func payload(_ payload: Payload) -> String {
        switch payload {
        case .message(let message): self.message(message)
        case .typing(let room, let user, let isTyping): "typing \(isTyping) (\(self.room(room)), \(self.user(user)))"
        case .presence(let room, let user, let isOnline): "presence \(isOnline ? "online" : "offline") (\(self.room(room)), \(self.user(user)))"
        case .membership(let room, .added(let user, let role)): "membership: \(self.user(user)) added as \(role) (\(self.room(room)))"
        case .membership(let room, .removed(let user)): "membership: \(self.user(user)) removed (\(self.room(room)))"
        case .membership(let room, .roleChanged(let user, let role)): "membership: \(self.user(user)) now \(role) (\(self.room(room)))"
        case .unsubscribed(let room, _): "unsubscribed (\(self.room(room)))"
        case .edited(let message): "edited \(self.message(message))"
        case .deleted(let message): "deleted \(self.message(message))"
        case .readMarker(let room, let seq): "read marker \(seq) (\(self.room(room)))"
        case .joined(let room): "joined \(self.room(room.id))"
        case .left(let room): "left \(self.room(room))"
        }
    }

    func fact(_ fact: Fact) -> String {
        switch fact {
        case .userRegistered(let user): "userRegistered(\(user.username.debugDescription))"
        case .roomCreated(let room): "roomCreated(\(self.room(room.id)))"
        case .memberAdded(let room, let member): "memberAdded(\(self.room(room)), \(user(member.user)) as \(member.role))"
        case .memberRemoved(let room, let user): "memberRemoved(\(self.room(room)), \(self.user(user)))"
        case .roleChanged(let room, let user, let role): "roleChanged(\(self.room(room)), \(self.user(user)), \(role))"
        case .roomArchived(let room): "roomArchived(\(self.room(room)))"
        case .messageAccepted(let message): "messageAccepted(\(self.message(message)))"
        case .messageEdited(let message): "messageEdited(\(self.message(message)))"
        case .messageDeleted(let message): "messageDeleted(\(self.message(message)))"
        case .readMarkerMoved(let room, let user, let seq): "readMarkerMoved(\(self.room(room)), \(self.user(user)), \(seq))"
        }
    }
}
