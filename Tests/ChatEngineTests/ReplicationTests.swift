import ChatEngine
import ChatSimulation
import ChatTestSupport
import Testing

/// A replica (another node's engine) that applies an origin's committed facts ends in the
/// origin's state, and its sessions get what the origin would have given them.
@Suite struct ReplicationTests {
    /// Random commands run on an origin; the facts of each are replicated on a second engine
    /// holding the same sessions (commands without facts — sessions, subscriptions, typing,
    /// ticks — run on both). Each replication must deliver what the command delivered, and
    /// every query must answer the same on both.
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func aReplicaDeliversWhatTheOriginDidAndAnswersAlike(seed: UInt64) throws {
        var origin = ChatEngine()
        var replica = origin
        var script = RandomScript(seed: seed)
        var random = Choices(seed: seed)
        var accepted: [Message] = []
        var replicated = 0
        var kinds: Set<String> = []
        for step in 0..<6_000 {
            var (command, now) = script.next()
            // The script has no read markers, edits or deletions: one step in five is one.
            if random.below(5) == 0, let message = accepted.isEmpty ? nil : accepted[random.below(accepted.count)] {
                let user = UserID(Int64(1 + random.below(7)))
                let via = random.below(2) == 0 ? SessionID(Int64(1 + random.below(10))) : nil
                command = switch random.below(3) {
                case 0: .markRead(by: user, room: message.room, seq: Int64(random.below(Int(origin.lastSeq(of: message.room)) + 1)), via: via)
                case 1: .edit(by: random.below(2) == 0 ? message.sender : user, message: message, text: "edited \(step)")
                default: .delete(by: random.below(2) == 0 ? message.sender : user, message: message)
                }
            }
            let outcome = origin.handle(command, at: now)
            if case .success(.sent(let message)) = outcome.result { accepted.append(message) }
            let facts = outcome.events.compactMap { if case .fact(let fact) = $0 { fact } else { nil } }
            if facts.isEmpty {
                let mirrored = replica.handle(command, at: now)
                try #require(mirrored == outcome, "step \(step) \(command)")
                continue
            }
            if case .subscribe = command {
                // Subscribing by a private room's address creates it and subscribes the session
                // at once: on a real cluster the session is on the origin node only.
                replica = origin
                continue
            }
            replicated += 1
            for fact in facts { kinds.insert(String("\(fact)".prefix { $0 != "(" })) }
            let expected = deliveries(outcome.events)
            var received = deliveries(try replica.replicate(facts, at: now))
            if case .markRead(_, _, _, let via?) = command {
                // The origin leaves out the session the marker came through; it is never on another node.
                received = received.compactMap { delivery in
                    let recipients = delivery.recipients.filter { $0 != via }
                    return recipients.isEmpty ? nil : Delivery(to: recipients, delivery.payload)
                }
            }
            try #require(received == expected, "step \(step) \(command): facts \(facts)")
            if step % 25 == 0 { try expectSameAnswers(origin, replica, step: step) }
        }
        try expectSameAnswers(origin, replica, step: 6_000)
        #expect(replicated > 300)
        // Every kind of fact but an archived room (random scripts never empty a group: the
        // next test does) was replicated.
        #expect(kinds.isSuperset(of: ["userRegistered", "roomCreated", "memberAdded", "memberRemoved", "messageAccepted", "messageEdited", "messageDeleted", "readMarkerMoved"]), "\(kinds.sorted())")
    }

    /// A group's owner leaves (the oldest member inherits it), then its last member: the replica's
    /// subscribed sessions are unsubscribed and see the heir, and the room ends archived on both.
    @Test func anOwnerLeavingAndTheLastMemberLeavingReplicate() throws {
        var origin = ChatEngine()
        let commands: [Command] = [
            .register(username: "ann"), .register(username: "bob"),
            .createGroup(by: UserID(1), name: "team", members: ["bob"]),
            .openSession(SessionID(1), user: UserID(1)), .openSession(SessionID(2), user: UserID(2)),
            .subscribe(SessionID(1), to: .group(named: "team")), .subscribe(SessionID(2), to: .group(named: "team")),
            .typing(by: UserID(1), room: RoomID(1), isTyping: true),
        ]
        for command in commands { _ = origin.handle(command, at: .zero) }
        var replica = origin
        for (index, command) in [Command.removeMember(by: UserID(1), room: RoomID(1), username: "ann"), .removeMember(by: UserID(2), room: RoomID(1), username: "bob")].enumerated() {
            let now = Instant(milliseconds: Int64(index) * 100)
            let outcome = origin.handle(command, at: now)
            let facts = outcome.events.compactMap { if case .fact(let fact) = $0 { fact } else { nil } }
            #expect(deliveries(try replica.replicate(facts, at: now)) == deliveries(outcome.events))
        }
        #expect(replica.room(RoomID(1))?.isArchived == true)
        #expect(replica.subscribers(of: RoomID(1)).isEmpty)
        #expect(replica.nextDeadline == nil)
        try expectSameAnswers(origin, replica, step: 2)
    }

    /// An inconsistent fact is refused with its position, as at a restore; the facts before it
    /// stay applied (the node must then rebuild from the store).
    @Test func aFactThatDoesNotFollowIsRefusedWithItsPosition() {
        var replica = ChatEngine()
        let ann = User(id: UserID(1), username: "ann", registeredAt: .zero)
        let lobby = Room(id: RoomID(1), kind: .public, name: "lobby", createdBy: UserID(1), createdAt: .zero, pair: nil)
        let elsewhere = Message(id: MessageID(1), room: RoomID(2), seq: 1, sender: UserID(1), text: "hi", clientMessageID: nil, sentAt: .zero)
        #expect(throws: RestoreError(index: 2, reason: "unknown room 2")) {
            _ = try replica.replicate([.userRegistered(ann), .roomCreated(lobby), .messageAccepted(elsewhere)], at: .zero)
        }
        #expect(replica.allUsers == [ann])
    }

    private func deliveries(_ events: [Event]) -> [Delivery] {
        events.compactMap { if case .delivery(let delivery) = $0 { delivery } else { nil } }
    }

    private func expectSameAnswers(_ origin: ChatEngine, _ replica: ChatEngine, step: Int) throws {
        try #require(replica.allUsers == origin.allUsers, "step \(step)")
        try #require(replica.nextDeadline == origin.nextDeadline, "step \(step)")
        for user in origin.allUsers {
            try #require(replica.visibleRooms(for: user.id) == origin.visibleRooms(for: user.id), "step \(step)")
        }
        for room in 1...16 {
            let id = RoomID(Int64(room))
            try #require(replica.room(id) == origin.room(id), "step \(step) room \(room)")
            try #require(replica.members(of: id) == origin.members(of: id), "step \(step) room \(room)")
            try #require(replica.lastSeq(of: id) == origin.lastSeq(of: id), "step \(step) room \(room)")
            try #require(replica.subscribers(of: id) == origin.subscribers(of: id), "step \(step) room \(room)")
            try #require(replica.onlineUsers(in: id) == origin.onlineUsers(in: id), "step \(step) room \(room)")
            for user in origin.allUsers {
                try #require(replica.readSeq(of: user.id, in: id) == origin.readSeq(of: user.id, in: id), "step \(step) room \(room)")
                try #require(
                    (try? replica.messages(in: id, for: user.id, before: nil, limit: 50)) == (try? origin.messages(in: id, for: user.id, before: nil, limit: 50)),
                    "step \(step) room \(room)"
                )
            }
        }
    }
}

/// The test's own choices beside the script's, from the seed: the simulation's SplitMix64, its
/// numbers taken modulo the bound.
private struct Choices {
    var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed &+ 0x9E37_79B9_7F4A_7C15) }

    /// A number in `0..<bound`.
    mutating func below(_ bound: Int) -> Int {
        Int(generator.next() % UInt64(bound))
    }
}
