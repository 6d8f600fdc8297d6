extension ChatEngine {
    /// The user with `id`.
    public func user(_ id: UserID) -> User? {
        guard id.rawValue >= 1, id.index < users.count else { return nil }
        return users[id.index].user
    }

    /// The user registered under `username`, compared case-insensitively.
    public func user(named username: String) -> User? {
        userIDsByKey[Validation.usernameKey(username)].map { users[$0.index].user }
    }

    /// Every user, by id.
    public var allUsers: [User] { users.map(\.user) }

    /// The room with `id`.
    public func room(_ id: RoomID) -> Room? {
        guard id.rawValue >= 1, id.index < rooms.count else { return nil }
        return rooms[id.index].room
    }

    /// The public or group room called `name`.
    public func room(named name: String) -> Room? {
        roomIDsByName[name].map { rooms[$0.index].room }
    }

    /// Whether `user` may read, send to and subscribe to the room.
    public func mayRead(_ user: UserID, room id: RoomID) -> Bool {
        guard let state = try? existingRoom(id), !state.room.isArchived else { return false }
        return mayRead(user, state)
    }

    /// The rooms `user` may read, by id: every public room, and the user's group and private rooms.
    public func visibleRooms(for user: UserID) -> [Room] {
        #if DEBUG
        if isPlanted(.visibleRoomsKeepCreatedGroups) {
            return rooms.lazy.filter { !$0.room.isArchived && (self.mayRead(user, $0) || $0.room.createdBy == user) }.map(\.room)
        }
        #endif
        return rooms.lazy.filter { !$0.room.isArchived && self.mayRead(user, $0) }.map(\.room)
    }

    /// The members of a group or private room with their roles, in the order they joined.
    public func members(of id: RoomID) -> [Member] {
        guard let state = try? existingRoom(id) else { return [] }
        return state.members.values.sorted { $0.joinOrder < $1.joinOrder }.map(\.member)
    }

    /// Users with at least one session subscribed to the room, by id.
    public func onlineUsers(in id: RoomID) -> [UserID] {
        guard let state = try? existingRoom(id) else { return [] }
        return state.sessionCounts.keys.sorted()
    }

    /// The sessions subscribed to the room, ascending.
    public func subscribers(of id: RoomID) -> [SessionID] {
        (try? existingRoom(id))?.subscribers ?? []
    }

    /// The open session `id`'s user, if it is open.
    public func sessionUser(_ id: SessionID) -> UserID? { sessions[id]?.user }

    /// The rooms session `id` is subscribed to, ascending.
    public func rooms(of id: SessionID) -> [RoomID] { sessions[id]?.rooms ?? [] }

    /// Why `reader` may not read a room's messages or presence — an unknown room, then not a
    /// reader — or nil when they may. The same check as the history queries'.
    public func readRejection(of id: RoomID, by reader: UserID) -> Rejection? {
        do throws(Rejection) {
            try checkReader(reader, try existingRoom(id))
            return nil
        } catch {
            return error
        }
    }

    /// The highest seq `user` has read in the room (0 when none).
    public func readSeq(of user: UserID, in room: RoomID) -> Int64 {
        readMarkers[ReadMarkerKey(room: room, user: user)] ?? 0
    }

    /// The message `id` of the room as it now is, if it is in the engine's recent window.
    public func recentMessage(_ id: MessageID, in room: RoomID) -> Message? {
        guard let state = try? existingRoom(room) else { return nil }
        // Ids grow with seqs in a room: the window is searched from its newest end.
        for index in stride(from: state.recent.count - 1, through: 0, by: -1) {
            let message = state.recent[index]
            if message.id == id { return message }
            if message.id < id { return nil }
        }
        return nil
    }

    /// The seq of the room's newest message (0 before the first).
    public func lastSeq(of id: RoomID) -> Int64 { (try? existingRoom(id))?.lastSeq ?? 0 }

    /// Up to `limit` messages after `seq`, oldest first, for a reader resuming after the last
    /// seq it saw. `missing` names the seqs older than the engine's recent window.
    public func messages(in id: RoomID, for reader: UserID, after seq: Int64, limit: Int) throws(Rejection) -> MessagePage {
        let state = try existingRoom(id)
        try checkReader(reader, state)
        // A seq below 0 reads as 0: an empty room has nothing after it.
        guard limit > 0, max(seq, 0) < state.lastSeq else { return MessagePage(messages: [], missing: nil) }
        #if DEBUG
        let first = isPlanted(.resumeRepeatsLastSeen) ? max(seq, 1) : max(seq + 1, 1)
        #else
        let first = max(seq + 1, 1)
        #endif
        let wanted = first...min(state.lastSeq, max(seq, 0) + Int64(limit))
        return page(of: state, wanted: wanted)
    }

    /// The latest `limit` messages before `seq` (all of them when `seq` is `nil`), oldest first.
    /// `missing` names the seqs older than the engine's recent window.
    public func messages(in id: RoomID, for reader: UserID, before seq: Int64?, limit: Int) throws(Rejection) -> MessagePage {
        let state = try existingRoom(id)
        try checkReader(reader, state)
        let upper = min(seq.map { $0 - 1 } ?? state.lastSeq, state.lastSeq)
        guard limit > 0, upper >= 1 else { return MessagePage(messages: [], missing: nil) }
        let wanted = max(1, upper - Int64(limit) + 1)...upper
        return page(of: state, wanted: wanted)
    }

    private func page(of state: RoomState, wanted: ClosedRange<Int64>) -> MessagePage {
        let messages = state.recent.messages(in: wanted)
        let held = messages.first?.seq ?? wanted.upperBound + 1
        let missing = held > wanted.lowerBound ? wanted.lowerBound...(held - 1) : nil
        return MessagePage(messages: messages, missing: missing)
    }
}
