extension ChatEngine {
    /// Changes the durable state as `fact` says. Used both when a command is accepted and
    /// when an engine is restored, so a restored engine is the same engine.
    mutating func apply(_ fact: Fact) {
        switch fact {
        case .userRegistered(let user):
            users.append(UserState(user: user))
            userIDsByKey[Validation.usernameKey(user.username)] = user.id
        case .roomCreated(let room):
            rooms.append(RoomState(room: room, recent: RecentMessages(capacity: configuration.recentMessagesPerRoom)))
            if let pair = room.pair {
                privateRooms[pair] = room.id
            } else {
                roomIDsByName[room.name] = room.id
            }
        case .memberAdded(let roomID, let member):
            let order = rooms[roomID.index].nextJoinOrder
            rooms[roomID.index].nextJoinOrder += 1
            rooms[roomID.index].members[member.user] = MemberEntry(member: member, joinOrder: order)
        case .memberRemoved(let roomID, let user):
            rooms[roomID.index].members[user] = nil
        case .roleChanged(let roomID, let user, let role):
            rooms[roomID.index].members[user]?.member.role = role
        case .roomArchived(let roomID):
            rooms[roomID.index].room.isArchived = true
        case .messageAccepted(let message):
            lastMessageID = max(lastMessageID, message.id.rawValue)
            rooms[message.room.index].lastSeq = message.seq
            if let evicted = rooms[message.room.index].recent.append(message), let id = evicted.clientMessageID {
                clientMessages[ClientMessageKey(sender: evicted.sender, clientMessageID: id)] = nil
            }
            if let id = message.clientMessageID {
                clientMessages[ClientMessageKey(sender: message.sender, clientMessageID: id)] = message
            }
        case .messageEdited(let message), .messageDeleted(let message):
            #if DEBUG
            if isPlanted(.deletedMessageStillHeld), message.isDeleted { return }
            #endif
            // Only the window holds messages; an older one lives in the store alone.
            if rooms[message.room.index].recent.replace(message), let id = message.clientMessageID {
                clientMessages[ClientMessageKey(sender: message.sender, clientMessageID: id)] = message
            }
        case .readMarkerMoved(let room, let user, let seq):
            readMarkers[ReadMarkerKey(room: room, user: user)] = seq
        }
    }
}

extension UserID {
    /// Position in the engine's user array.
    var index: Int { Int(rawValue) - 1 }
}

extension RoomID {
    /// Position in the engine's room array.
    var index: Int { Int(rawValue) - 1 }
}
