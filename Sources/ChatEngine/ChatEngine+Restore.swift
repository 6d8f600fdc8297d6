/// Why a list of facts cannot rebuild an engine.
public struct RestoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The position of the offending fact in the list.
    public let index: Int
    /// What is wrong with it.
    public let reason: String

    /// Creates a restore error.
    public init(index: Int, reason: String) {
        self.index = index
        self.reason = reason
    }

    public var description: String { "fact \(index): \(reason)" }
}

extension ChatEngine {
    /// Rebuilds an engine from facts, in the order they were produced.
    ///
    /// A store may hand back only each room's latest messages (at least the newest one of every
    /// room that has any): seqs and message ids then continue after the highest ones given.
    /// Sessions and typing are not facts: a restored engine has none.
    public init(configuration: ChatConfiguration = ChatConfiguration(), restoring facts: some Sequence<Fact>) throws(RestoreError) {
        self.init(configuration: configuration)
        for (index, fact) in facts.enumerated() {
            if let reason = problem(with: fact) {
                throw RestoreError(index: index, reason: reason)
            }
            #if DEBUG
            if isPlanted(.restoreForgetsReadMarkers), case .readMarkerMoved = fact { continue }
            #endif
            apply(fact)
        }
    }

    /// What makes `fact` inconsistent with the state so far, if anything.
    func problem(with fact: Fact) -> String? {
        switch fact {
        case .userRegistered(let user):
            if user.id.rawValue != Int64(users.count) + 1 { return "user id \(user.id.rawValue) is out of order" }
            if userIDsByKey[Validation.usernameKey(user.username)] != nil { return "username \(user.username) is taken" }
        case .roomCreated(let room):
            if room.id.rawValue != Int64(rooms.count) + 1 { return "room id \(room.id.rawValue) is out of order" }
            if let pair = room.pair {
                if privateRooms[pair] != nil { return "private room \(room.id.rawValue) duplicates a pair" }
                if user(pair.second) == nil { return "private room \(room.id.rawValue) names an unknown user" }
            } else if roomIDsByName[room.name] != nil {
                return "room name \(room.name) is taken"
            }
        case .memberAdded(let room, let member):
            if self.room(room) == nil { return "unknown room \(room.rawValue)" }
            if user(member.user) == nil { return "unknown user \(member.user.rawValue)" }
        case .memberRemoved(let room, let user), .roleChanged(let room, let user, _):
            if self.room(room) == nil { return "unknown room \(room.rawValue)" }
            if rooms[room.index].members[user] == nil { return "user \(user.rawValue) is not a member of room \(room.rawValue)" }
        case .roomArchived(let room):
            if self.room(room) == nil { return "unknown room \(room.rawValue)" }
        case .messageAccepted(let message):
            if self.room(message.room) == nil { return "unknown room \(message.room.rawValue)" }
            if user(message.sender) == nil { return "unknown user \(message.sender.rawValue)" }
            if message.seq <= rooms[message.room.index].lastSeq { return "seq \(message.seq) does not follow \(rooms[message.room.index].lastSeq)" }
            if message.id.rawValue <= lastMessageID { return "message id \(message.id.rawValue) does not follow \(lastMessageID)" }
        case .messageEdited(let message), .messageDeleted(let message):
            if self.room(message.room) == nil { return "unknown room \(message.room.rawValue)" }
            if message.seq > rooms[message.room.index].lastSeq { return "message seq \(message.seq) is not accepted yet" }
        case .readMarkerMoved(let room, let user, let seq):
            if self.room(room) == nil { return "unknown room \(room.rawValue)" }
            if self.user(user) == nil { return "unknown user \(user.rawValue)" }
            if seq > rooms[room.index].lastSeq { return "read marker \(seq) is past the last seq \(rooms[room.index].lastSeq)" }
        }
        return nil
    }
}
