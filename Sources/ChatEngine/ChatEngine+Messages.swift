extension ChatEngine {
    mutating func send(by sender: UserID, room id: RoomID, text: String, clientMessageID: String?, via session: SessionID?, at now: Instant, into events: inout [Event]) throws(Rejection) -> Reply {
        _ = try existingUser(sender)
        let state = try activeRoom(id)
        try checkReader(sender, state)
        if let session {
            guard try existingSession(session).user == sender else { throw .sessionOfAnotherUser }
        }
        try Validation.checkMessageText(text, maxLength: configuration.maxMessageLength)
        try Validation.checkClientMessageID(clientMessageID)

        if let clientMessageID, let stored = clientMessages[ClientMessageKey(sender: sender, clientMessageID: clientMessageID)] {
            // A retry: the sender's socket gets the stored message again as its acknowledgement.
            if let session { deliver(.message(stored), to: [session], into: &events) }
            return .duplicate(stored)
        }

        let message = Message(
            id: MessageID(lastMessageID + 1), room: id, seq: state.lastSeq + 1, sender: sender,
            text: text, clientMessageID: clientMessageID, sentAt: now
        )
        record(.messageAccepted(message), into: &events)
        deliver(.message(message), to: rooms[id.index].subscribers, into: &events)
        stopTyping(sender, room: id, into: &events)
        return .sent(message)
    }
}
