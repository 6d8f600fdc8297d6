extension ChatEngine {
    /// The user with `id`, or the rejection a command gets for it.
    func existingUser(_ id: UserID) throws(Rejection) -> UserState {
        guard id.rawValue >= 1, id.index < users.count else { throw .unknownUserID(id) }
        return users[id.index]
    }

    /// The user registered under `username` (case-insensitively), or an unknown-user rejection.
    func existingUser(named username: String) throws(Rejection) -> UserState {
        guard let id = userIDsByKey[Validation.usernameKey(username)] else { throw .unknownUsers([username]) }
        return users[id.index]
    }

    /// The room with `id`, or an unknown-room rejection.
    func existingRoom(_ id: RoomID) throws(Rejection) -> RoomState {
        guard id.rawValue >= 1, id.index < rooms.count else { throw .unknownRoom }
        return rooms[id.index]
    }

    /// The room with `id` if it still takes commands.
    func activeRoom(_ id: RoomID) throws(Rejection) -> RoomState {
        let state = try existingRoom(id)
        guard !state.room.isArchived else { throw .roomArchived }
        return state
    }

    /// The open session with `id`.
    func existingSession(_ id: SessionID) throws(Rejection) -> SessionState {
        guard let session = sessions[id] else { throw .unknownSession }
        return session
    }

    /// Whether `user` may read, send to and subscribe to the room.
    func mayRead(_ user: UserID, _ state: RoomState) -> Bool {
        #if DEBUG
        if isPlanted(.thirdUserInPrivateRoom), state.room.kind == .private { return true }
        #endif
        return switch state.room.kind {
        case .public: true
        case .group, .private: state.members[user] != nil
        }
    }

    /// Throws unless `user` may read the room.
    func checkReader(_ user: UserID, _ state: RoomState) throws(Rejection) {
        guard mayRead(user, state) else { throw .notMember }
    }

    /// The name of a private room: the two usernames, lower id first.
    func privateRoomName(_ pair: UserPair) -> String {
        "\(users[pair.first.index].user.username), \(users[pair.second.index].user.username)"
    }

    /// The subscribers of a room that belong to users other than `user`.
    func subscribers(of state: RoomState, except user: UserID) -> [SessionID] {
        guard let own = state.sessionCounts[user], own > 0 else { return state.subscribers }
        return state.subscribers.filter { sessions[$0]?.user != user }
    }
}
