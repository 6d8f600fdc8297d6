extension ChatEngine {
    mutating func setTyping(_ user: UserID, room id: RoomID, isTyping: Bool, at now: Instant, into events: inout [Event]) throws(Rejection) {
        _ = try existingUser(user)
        let state = try activeRoom(id)
        try checkReader(user, state)
        guard isTyping else {
            stopTyping(user, room: id, into: &events)
            return
        }
        let key = TypingKey(room: id, user: user)
        let deadline = now.advanced(by: configuration.typingTimeout)
        let previous = typing.updateValue(deadline, forKey: key)
        if previous == nil {
            deliver(.typing(id, user, isTyping: true), to: subscribers(of: state, except: user), into: &events)
        }
        if previous == nextDeadline {
            recomputeNextDeadline()
        } else if nextDeadline.map({ deadline < $0 }) ?? true {
            nextDeadline = deadline
        }
    }

    /// Ends `user`'s typing in the room, telling the other users' sessions, if it was typing.
    mutating func stopTyping(_ user: UserID, room id: RoomID, into events: inout [Event]) {
        guard let deadline = typing.removeValue(forKey: TypingKey(room: id, user: user)) else { return }
        #if DEBUG
        if !isPlanted(.typingStopNotSent) { deliver(.typing(id, user, isTyping: false), to: subscribers(of: rooms[id.index], except: user), into: &events) }
        #else
        deliver(.typing(id, user, isTyping: false), to: subscribers(of: rooms[id.index], except: user), into: &events)
        #endif
        if deadline == nextDeadline { recomputeNextDeadline() }
    }

    /// Stops every typing indicator whose deadline is at or before `now`, earliest first.
    mutating func expireTyping(upTo now: Instant, into events: inout [Event]) {
        guard let next = nextDeadline, next <= now else { return }
        let expired = typing.filter { $0.value <= now }.sorted { ($0.value, $0.key) < ($1.value, $1.key) }
        for (key, _) in expired {
            stopTyping(key.user, room: key.room, into: &events)
        }
    }

    private mutating func recomputeNextDeadline() {
        nextDeadline = typing.values.min()
        #if DEBUG
        if isPlanted(.nextDeadlineLatest) { nextDeadline = typing.values.max() }
        #endif
    }
}
