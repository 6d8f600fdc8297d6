extension ChatEngine {
    mutating func edit(by user: UserID, message stored: Message, text: String, at now: Instant, into events: inout [Event]) throws(Rejection) -> Message {
        // A malformed request is refused as such, whatever the message has become.
        try Validation.checkMessageText(text, maxLength: configuration.maxMessageLength)
        let current = try editableMessage(stored, by: user)
        #if DEBUG
        let moderates = isPlanted(.moderatorEditsOthersMessages) && (rooms[current.room.index].members[user]?.member.role ?? .member) != .member
        guard current.sender == user || moderates else { throw .notAuthor }
        #else
        guard current.sender == user else { throw .notAuthor }
        #endif

        let edited = current.edited(to: text, at: now)
        record(.messageEdited(edited), into: &events)
        deliver(.edited(edited), to: rooms[edited.room.index].subscribers, into: &events)
        return edited
    }

    mutating func delete(by user: UserID, message stored: Message, into events: inout [Event]) throws(Rejection) -> Message {
        let current = try editableMessage(stored, by: user)
        if current.sender != user {
            let role = rooms[current.room.index].members[user]?.member.role
            guard rooms[current.room.index].room.kind == .group, role == .owner || role == .admin else { throw .notAuthorOrModerator }
        }

        let deleted = current.deleted
        record(.messageDeleted(deleted), into: &events)
        deliver(.deleted(deleted), to: rooms[deleted.room.index].subscribers, into: &events)
        return deleted
    }

    /// The message as it now is (the engine's copy when it holds one), after the checks an edit
    /// and a delete share: a message of a room `user` may read, not deleted.
    private func editableMessage(_ stored: Message, by user: UserID) throws(Rejection) -> Message {
        _ = try existingUser(user)
        guard let state = try? existingRoom(stored.room), stored.id.rawValue <= lastMessageID, stored.seq <= state.lastSeq,
              mayRead(user, state)
        else { throw .unknownMessage }
        guard !state.room.isArchived else { throw .roomArchived }
        // The window's copy is the latest; a message it holds under another id does not exist.
        var current = stored
        if let held = state.recent.message(seq: stored.seq) {
            guard held.id == stored.id else { throw .unknownMessage }
            current = held
        }
        guard !current.isDeleted else { throw .messageDeleted }
        return current
    }
}
