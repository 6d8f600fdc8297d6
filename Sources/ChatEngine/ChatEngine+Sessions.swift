extension ChatEngine {
    mutating func openSession(_ id: SessionID, user: UserID) throws(Rejection) {
        _ = try existingUser(user)
        guard sessions[id] == nil else { throw .sessionAlreadyOpen }
        sessions[id] = SessionState(user: user)
        users[user.index].sessions.insertSorted(id)
    }

    mutating func closeSession(_ id: SessionID, into events: inout [Event]) throws(Rejection) {
        let session = try existingSession(id)
        for room in session.rooms {
            leave(id, room: room, into: &events)
        }
        sessions[id] = nil
        users[session.user.index].sessions.removeSorted(id)
    }
}
