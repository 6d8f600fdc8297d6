extension ChatEngine {
    mutating func subscribe(_ id: SessionID, to address: RoomAddress, at now: Instant, into events: inout [Event]) throws(Rejection) -> Room {
        let user = try existingSession(id).user
        let roomID: RoomID
        switch address {
        case .id(let room):
            roomID = room
        case .named(let name):
            if let existing = roomIDsByName[name] {
                roomID = existing
            } else {
                roomID = try createPublicRoom(by: user, name: name, at: now, into: &events).id
            }
        case .group(let name):
            guard let existing = roomIDsByName[name], rooms[existing.index].room.kind == .group else {
                throw .unknownRoom
            }
            roomID = existing
        case .privateWith(let username):
            // Validated in full before it may create the room below.
            let other = try existingUser(named: username).user.id
            guard let pair = UserPair(user, other) else { throw .cannotChatWithYourself }
            if let existing = privateRooms[pair] {
                roomID = existing
            } else {
                roomID = try openPrivateRoom(by: user, with: username, at: now, into: &events).id
            }
        }
        let state = try activeRoom(roomID)
        try checkReader(user, state)
        guard !state.subscribers.containsSorted(id) else { throw .alreadySubscribed }

        rooms[roomID.index].subscribers.insertSorted(id)
        sessions[id]?.rooms.insertSorted(roomID)
        let count = rooms[roomID.index].sessionCounts[user, default: 0] + 1
        rooms[roomID.index].sessionCounts[user] = count
        if count == 1 {
            deliver(.presence(roomID, user, isOnline: true), to: subscribers(of: rooms[roomID.index], except: user), into: &events)
        }
        return rooms[roomID.index].room
    }

    mutating func unsubscribe(_ id: SessionID, from room: RoomID, into events: inout [Event]) throws(Rejection) {
        let session = try existingSession(id)
        _ = try existingRoom(room)
        guard session.rooms.containsSorted(room) else { throw .notSubscribed }
        leave(id, room: room, into: &events)
    }

    /// Takes a session out of a room: when it was its user's last session there, the user's
    /// typing stops and the others see the user go offline.
    mutating func leave(_ id: SessionID, room: RoomID, into events: inout [Event]) {
        guard let user = sessions[id]?.user else { return }
        rooms[room.index].subscribers.removeSorted(id)
        sessions[id]?.rooms.removeSorted(room)
        let remaining = rooms[room.index].sessionCounts[user, default: 1] - 1
        rooms[room.index].sessionCounts[user] = remaining == 0 ? nil : remaining
        guard remaining == 0 else { return }
        stopTyping(user, room: room, into: &events)
        #if DEBUG
        if isPlanted(.presenceLeftNotSent) { return }
        #endif
        deliver(.presence(room, user, isOnline: false), to: rooms[room.index].subscribers, into: &events)
    }
}
