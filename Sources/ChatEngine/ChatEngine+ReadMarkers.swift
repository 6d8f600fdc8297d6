extension ChatEngine {
    mutating func markRead(by user: UserID, room id: RoomID, seq: Int64, via session: SessionID?, into events: inout [Event]) throws(Rejection) {
        _ = try existingUser(user)
        let state = try activeRoom(id)
        try checkReader(user, state)
        if let session {
            guard try existingSession(session).user == user else { throw .sessionOfAnotherUser }
        }
        guard (0...state.lastSeq).contains(seq) else { throw .invalidReadSeq(last: state.lastSeq) }
        // Only forward: an older marker (another device that read less) changes nothing.
        #if DEBUG
        let moves = isPlanted(.readMarkerMovesBackwards) ? seq != readSeq(of: user, in: id) : seq > readSeq(of: user, in: id)
        #else
        let moves = seq > readSeq(of: user, in: id)
        #endif
        guard moves else { return }

        record(.readMarkerMoved(id, user, seq: seq), into: &events)
        let others = users[user.index].sessions.filter { $0 != session }
        deliver(.readMarker(id, seq: seq), to: others, into: &events)
    }
}
