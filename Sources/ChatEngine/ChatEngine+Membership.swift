extension ChatEngine {
    /// The group room `id` and the acting member's entry, after the checks every member change shares.
    private func groupForMemberChange(_ id: RoomID, actor: UserID) throws(Rejection) -> (RoomState, MemberEntry) {
        _ = try existingUser(actor)
        let state = try activeRoom(id)
        switch state.room.kind {
        case .private: throw .privateRoomHasFixedMembers
        case .public: throw .publicRoomHasNoMembers
        case .group: break
        }
        guard let entry = state.members[actor] else { throw .notMember }
        return (state, entry)
    }

    mutating func addMember(by actor: UserID, room id: RoomID, username: String, at now: Instant, into events: inout [Event]) throws(Rejection) -> Room {
        let (state, entry) = try groupForMemberChange(id, actor: actor)
        guard entry.member.role != .member else { throw .notOwnerOrAdmin }
        let target = try existingUser(named: username).user
        guard state.members[target.id] == nil else { throw .alreadyMember(target.username) }

        record(.memberAdded(id, Member(user: target.id, role: .member, joinedAt: now)), into: &events)
        #if DEBUG
        if !isPlanted(.memberAddedNotDelivered) { deliver(.membership(id, .added(target.id, .member)), to: state.subscribers, into: &events) }
        #else
        deliver(.membership(id, .added(target.id, .member)), to: state.subscribers, into: &events)
        #endif
        deliver(.joined(state.room), to: users[target.id.index].sessions, into: &events)
        return state.room
    }

    mutating func removeMember(by actor: UserID, room id: RoomID, username: String, into events: inout [Event]) throws(Rejection) {
        let (state, entry) = try groupForMemberChange(id, actor: actor)
        let target = try existingUser(named: username).user
        if target.id != actor {
            switch entry.member.role {
            case .member: throw .notOwnerOrAdmin
            case .admin: guard state.members[target.id]?.member.role ?? .member == .member else { throw .cannotRemoveOwnerOrAdmin }
            case .owner: break
            }
        }
        guard let removed = state.members[target.id] else { throw .notAMember(target.username) }

        #if DEBUG
        if isPlanted(.memberRemovedFactMissing) { apply(.memberRemoved(id, target.id)) } else { record(.memberRemoved(id, target.id), into: &events) }
        #else
        record(.memberRemoved(id, target.id), into: &events)
        #endif
        memberLeft(target.id, room: id, into: &events)

        let remaining = rooms[id.index].members.values
        if remaining.isEmpty {
            record(.roomArchived(id), into: &events)
        } else if removed.member.role == .owner {
            #if DEBUG
            if isPlanted(.ownershipNotHandedOver) { return }
            #endif
            // The oldest admin inherits the room, else the oldest member.
            let heir = remaining.min { ($0.member.role, $0.joinOrder) < ($1.member.role, $1.joinOrder) }!
            record(.roleChanged(id, heir.member.user, .owner), into: &events)
            deliver(.membership(id, .roleChanged(heir.member.user, .owner)), to: rooms[id.index].subscribers, into: &events)
        }
    }

    mutating func changeRole(by actor: UserID, room id: RoomID, username: String, role: Role, into events: inout [Event]) throws(Rejection) -> Room {
        let (state, entry) = try groupForMemberChange(id, actor: actor)
        guard entry.member.role == .owner else { throw .notOwner }
        guard role != .owner else { throw .invalidRole }
        let target = try existingUser(named: username).user
        guard let current = state.members[target.id] else { throw .notAMember(target.username) }
        guard current.member.role != .owner else { throw .cannotChangeOwnerRole }
        guard current.member.role != role else { return state.room }

        record(.roleChanged(id, target.id, role), into: &events)
        deliver(.membership(id, .roleChanged(target.id, role)), to: state.subscribers, into: &events)
        return state.room
    }

    /// What follows a member's removal (the fact already applied): their subscribed sessions
    /// are told and unsubscribed, their other sessions learn they left, their typing stops, and
    /// the room's remaining sessions see the change.
    mutating func memberLeft(_ user: UserID, room id: RoomID, into events: inout [Event]) {
        let targetSessions = rooms[id.index].subscribers.filter { sessions[$0]?.user == user }
        deliver(.unsubscribed(id, because: .removedFromRoom), to: targetSessions, into: &events)
        deliver(.left(id), to: users[user.index].sessions.filter { !targetSessions.contains($0) }, into: &events)
        for session in targetSessions {
            #if DEBUG
            if isPlanted(.removedMemberStaysSubscribed) { continue }
            #endif
            leave(session, room: id, into: &events)
        }
        stopTyping(user, room: id, into: &events)
        deliver(.membership(id, .removed(user)), to: rooms[id.index].subscribers, into: &events)
    }
}
