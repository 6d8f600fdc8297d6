extension ChatEngine {
    /// Applies facts that another engine produced and a shared store committed — another node's
    /// commands — and returns what this engine's own sessions receive for them: exactly the
    /// deliveries the producing engine would have made to these sessions had they been its own
    /// (messages, edits, deletions, membership changes, joined and left rooms, unsubscriptions of
    /// removed members, the presence and typing that follow, read markers to the user's sessions).
    ///
    /// Facts must come in the order they were committed and follow this engine's state, as for
    /// ``init(configuration:restoring:)``. As every command does, it first expires the typing due
    /// at `now`. The returned events are deliveries only: the facts are stored already. On an inconsistent fact this throws with its position, leaving the facts
    /// before it applied: the engine no longer matches the store and must be rebuilt from it.
    ///
    /// ```swift
    /// let sent = nodeA.handle(.send(by: ann, room: lobby, text: "hi"), at: now)
    /// let facts = sent.events.compactMap { if case .fact(let fact) = $0 { fact } else { nil } }
    /// let deliveries = try nodeB.replicate(facts, at: now)   // the message, for nodeB's sessions in the lobby
    /// ```
    public mutating func replicate(_ facts: some Sequence<Fact>, at now: Instant) throws(RestoreError) -> [Event] {
        var events: [Event] = []
        expireTyping(upTo: now, into: &events)
        for (index, fact) in facts.enumerated() {
            if let reason = problem(with: fact) { throw RestoreError(index: index, reason: reason) }
            apply(fact)
            deliverReplicated(fact, into: &events)
        }
        return events
    }

    /// The deliveries a fact's command made beside the fact, for this engine's sessions.
    private mutating func deliverReplicated(_ fact: Fact, into events: inout [Event]) {
        switch fact {
        case .userRegistered, .roomCreated, .roomArchived:
            break
        case .memberAdded(let id, let member):
            deliver(.membership(id, .added(member.user, member.role)), to: rooms[id.index].subscribers, into: &events)
            deliver(.joined(rooms[id.index].room), to: users[member.user.index].sessions, into: &events)
        case .memberRemoved(let id, let user):
            memberLeft(user, room: id, into: &events)
        case .roleChanged(let id, let user, let role):
            deliver(.membership(id, .roleChanged(user, role)), to: rooms[id.index].subscribers, into: &events)
        case .messageAccepted(let message):
            deliver(.message(message), to: rooms[message.room.index].subscribers, into: &events)
            stopTyping(message.sender, room: message.room, into: &events)
        case .messageEdited(let message):
            deliver(.edited(message), to: rooms[message.room.index].subscribers, into: &events)
        case .messageDeleted(let message):
            deliver(.deleted(message), to: rooms[message.room.index].subscribers, into: &events)
        case .readMarkerMoved(let id, let user, let seq):
            deliver(.readMarker(id, seq: seq), to: users[user.index].sessions, into: &events)
        }
    }
}
