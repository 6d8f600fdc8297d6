extension ChatEngine {
    mutating func createPublicRoom(by user: UserID, name: String, at now: Instant, into events: inout [Event]) throws(Rejection) -> Room {
        _ = try existingUser(user)
        try checkNewRoomName(name)
        let room = Room(id: nextRoomID, kind: .public, name: name, createdBy: user, createdAt: now, pair: nil)
        record(.roomCreated(room), into: &events)
        return room
    }

    mutating func createGroup(by owner: UserID, name: String, members usernames: [String], at now: Instant, into events: inout [Event]) throws(Rejection) -> Room {
        _ = try existingUser(owner)
        try checkNewRoomName(name)
        var unknown: [String] = []
        var members: [UserID] = []
        var seen: Set<UserID> = [owner]
        for username in usernames {
            if let id = userIDsByKey[Validation.usernameKey(username)] {
                if seen.insert(id).inserted { members.append(id) }
            } else if !unknown.contains(username) {
                unknown.append(username)
            }
        }
        guard unknown.isEmpty else { throw .unknownUsers(unknown) }

        let room = Room(id: nextRoomID, kind: .group, name: name, createdBy: owner, createdAt: now, pair: nil)
        record(.roomCreated(room), into: &events)
        record(.memberAdded(room.id, Member(user: owner, role: .owner, joinedAt: now)), into: &events)
        for member in members {
            record(.memberAdded(room.id, Member(user: member, role: .member, joinedAt: now)), into: &events)
        }
        for member in [owner] + members {
            deliver(.joined(room), to: users[member.index].sessions, into: &events)
        }
        return room
    }

    mutating func openPrivateRoom(by user: UserID, with username: String, at now: Instant, into events: inout [Event]) throws(Rejection) -> Room {
        _ = try existingUser(user)
        let other = try existingUser(named: username).user.id
        guard let pair = UserPair(user, other) else { throw .cannotChatWithYourself }
        if let existing = privateRooms[pair] {
            return rooms[existing.index].room
        }
        let room = Room(id: nextRoomID, kind: .private, name: privateRoomName(pair), createdBy: user, createdAt: now, pair: pair)
        record(.roomCreated(room), into: &events)
        record(.memberAdded(room.id, Member(user: pair.first, role: .member, joinedAt: now)), into: &events)
        record(.memberAdded(room.id, Member(user: pair.second, role: .member, joinedAt: now)), into: &events)
        for member in [pair.first, pair.second] {
            deliver(.joined(room), to: users[member.index].sessions, into: &events)
        }
        return room
    }

    /// The id the next created room gets.
    private var nextRoomID: RoomID { RoomID(Int64(rooms.count) + 1) }

    /// Throws unless `name` is valid and free among public and group rooms.
    private func checkNewRoomName(_ name: String) throws(Rejection) {
        guard Validation.isValidRoomName(name) else { throw .invalidRoomName }
        guard roomIDsByName[name] == nil else { throw .roomNameTaken }
    }
}
