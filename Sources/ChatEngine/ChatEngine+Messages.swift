extension ChatEngine {
    /// Why `send` would be refused, if it would: every check but the duplicate lookup, without
    /// changing anything. A server asks this before looking up an older duplicate in its store,
    /// so a retry is validated exactly like a first send.
    public func sendRejection(by sender: UserID, room id: RoomID, text: String, clientMessageID: String?, via session: SessionID?) -> Rejection? {
        do throws(Rejection) {
            try checkSend(by: sender, room: id, text: text, clientMessageID: clientMessageID, via: session)
            return nil
        } catch {
            return error
        }
    }

    private func checkSend(by sender: UserID, room id: RoomID, text: String, clientMessageID: String?, via session: SessionID?) throws(Rejection) {
        _ = try existingUser(sender)
        try checkReader(sender, try activeRoom(id))
        if let session {
            guard try existingSession(session).user == sender else { throw .sessionOfAnotherUser }
        }
        try Validation.checkMessageText(text, maxLength: configuration.maxMessageLength)
        try Validation.checkClientMessageID(clientMessageID)
    }

    mutating func send(by sender: UserID, room id: RoomID, text: String, clientMessageID: String?, via session: SessionID?, at now: Instant, into events: inout [Event]) throws(Rejection) -> Reply {
        try checkSend(by: sender, room: id, text: text, clientMessageID: clientMessageID, via: session)
        let state = rooms[id.index]

        #if DEBUG
        let looksUp = !(isPlanted(.duplicateStored) && session == nil)
        #else
        let looksUp = true
        #endif
        if looksUp, let clientMessageID, let stored = clientMessages[ClientMessageKey(sender: sender, clientMessageID: clientMessageID)] {
            // A retry: the sender's socket gets the stored message again as its acknowledgement.
            if let session { deliver(.message(stored), to: [session], into: &events) }
            return .duplicate(stored)
        }

        #if DEBUG
        let seq = state.lastSeq + (isPlanted(.seqSkippedOnce) && state.lastSeq == 2 ? 2 : 1)
        #else
        let seq = state.lastSeq + 1
        #endif
        let message = Message(
            id: MessageID(lastMessageID + 1), room: id, seq: seq, sender: sender,
            text: text, clientMessageID: clientMessageID, sentAt: now
        )
        record(.messageAccepted(message), into: &events)
        deliver(.message(message), to: rooms[id.index].subscribers, into: &events)
        stopTyping(sender, room: id, into: &events)
        return .sent(message)
    }
}
