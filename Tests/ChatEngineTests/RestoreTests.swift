import ChatEngine
import ChatTestSupport
import Testing

@Suite struct RestoreTests {
    /// Runs a random script, then closes every session and lets typing lapse, because sessions
    /// and typing are not facts.
    private func history(seed: UInt64, configuration: ChatConfiguration) -> (ChatEngine, [Fact], Instant) {
        var engine = ChatEngine(configuration: configuration)
        var script = RandomScript(seed: seed)
        var outcomes: [Outcome] = []
        var now = Instant.zero
        for _ in 0..<4_000 {
            let (command, instant) = script.next()
            now = instant
            outcomes.append(engine.handle(command, at: instant))
        }
        for session in 1...10 {
            outcomes.append(engine.handle(.closeSession(SessionID(Int64(session))), at: now))
        }
        now = now.advanced(by: configuration.typingTimeout)
        outcomes.append(engine.handle(.tick, at: now))
        #expect(engine.nextDeadline == nil)
        return (engine, facts(of: outcomes), now)
    }

    /// Feeds the same continuation to both engines and compares every outcome and the final reads.
    private func expectSameContinuation(_ original: inout ChatEngine, _ restored: inout ChatEngine, from start: Instant) {
        var script = RandomScript(seed: 99, startingAt: start)
        for step in 0..<4_000 {
            let (command, instant) = script.next()
            let expected = original.handle(command, at: instant)
            let actual = restored.handle(command, at: instant)
            guard expected == actual else {
                Issue.record("step \(step) \(command): expected \(expected), got \(actual)")
                return
            }
        }
        #expect(restored.allUsers == original.allUsers)
        for user in original.allUsers {
            #expect(restored.visibleRooms(for: user.id) == original.visibleRooms(for: user.id))
        }
        for room in 1...16 {
            let id = RoomID(Int64(room))
            #expect(restored.room(id) == original.room(id))
            #expect(restored.members(of: id) == original.members(of: id))
            #expect(restored.lastSeq(of: id) == original.lastSeq(of: id))
            #expect(restored.onlineUsers(in: id) == original.onlineUsers(in: id))
        }
    }

    @Test func anEngineRebuiltFromAllFactsBehavesLikeTheOriginal() throws {
        let configuration = ChatConfiguration(recentMessagesPerRoom: 20)
        var (original, facts, now) = history(seed: 1, configuration: configuration)
        #expect(facts.contains { if case .messageAccepted = $0 { true } else { false } })
        var restored = try ChatEngine(configuration: configuration, restoring: facts)
        expectSameContinuation(&original, &restored, from: now)
    }

    @Test func theRecentWindowOfEachRoomIsEnough() throws {
        let configuration = ChatConfiguration(recentMessagesPerRoom: 5)
        var (original, facts, now) = history(seed: 3, configuration: configuration)
        // What a store hands back: every fact but messages, plus each room's latest five.
        var kept: [RoomID: Int] = [:]
        let window = facts.reversed().filter { fact in
            guard case .messageAccepted(let message) = fact else { return true }
            kept[message.room, default: 0] += 1
            return kept[message.room]! <= 5
        }.reversed()
        #expect(window.count < facts.count)
        var restored = try ChatEngine(configuration: configuration, restoring: window)
        expectSameContinuation(&original, &restored, from: now)
    }

    @Test func seqsAndDuplicatesContinueAfterARestore() throws {
        var h = Harness()
        let alice = h.register("alice")
        let lobby = h.publicRoom("lobby", by: alice).id
        var facts = [Fact]()
        for index in 1...3 {
            facts += h.run(.send(by: alice, room: lobby, text: "m\(index)", clientMessageID: "c\(index)")).events.compactMap {
                if case .fact(let fact) = $0 { fact } else { nil }
            }
        }
        let all = [Fact.userRegistered(h.engine.user(alice)!), .roomCreated(h.engine.room(lobby)!)] + facts
        var restored = try ChatEngine(restoring: all)
        let stored = try #require(restored.handle(.send(by: alice, room: lobby, text: "m2", clientMessageID: "c2"), at: .zero).duplicate)
        #expect(stored.seq == 2)
        let next = try #require(restored.handle(.send(by: alice, room: lobby, text: "m4"), at: .zero).sent)
        #expect((next.seq, next.id) == (4, MessageID(4)))
    }

    @Test func editsDeletesAndReadMarkersSurviveARestore() throws {
        let configuration = ChatConfiguration(recentMessagesPerRoom: 3)
        var h = Harness(configuration)
        var outcomes = [h.run(.register(username: "alice")), h.run(.register(username: "bob"))]
        let (alice, bob) = (UserID(1), UserID(2))
        outcomes.append(h.run(.createPublicRoom(by: alice, name: "lobby")))
        let lobby = RoomID(1)
        for index in 1...5 { outcomes.append(h.run(.send(by: index % 2 == 0 ? bob : alice, room: lobby, text: "m\(index)"))) }
        let sent = outcomes.compactMap(\.sent)
        outcomes.append(h.run(.edit(by: alice, message: sent[4], text: "m5 edited")))
        outcomes.append(h.run(.delete(by: bob, message: sent[3])))
        outcomes.append(h.run(.edit(by: alice, message: sent[0], text: "m1 edited")))  // older than the window
        outcomes.append(h.run(.markRead(by: alice, room: lobby, seq: 3)))
        outcomes.append(h.run(.markRead(by: bob, room: lobby, seq: 5)))
        #expect(outcomes.allSatisfy { $0.rejection == nil })

        // Every fact, and what a store hands back: its rows as they now are (each room's latest
        // messages with their edits and deletions, each read marker once).
        let latest = (3...5).map { h.engine.recentMessage(sent[$0 - 1].id, in: lobby)! }
        let window: [Fact] = [
            .userRegistered(h.engine.user(alice)!), .userRegistered(h.engine.user(bob)!), .roomCreated(h.engine.room(lobby)!),
        ] + latest.map(Fact.messageAccepted) + [.readMarkerMoved(lobby, alice, seq: 3), .readMarkerMoved(lobby, bob, seq: 5)]
        for facts in [facts(of: outcomes), window] {
            let restored = try ChatEngine(configuration: configuration, restoring: facts)
            #expect(restored.readSeq(of: alice, in: lobby) == 3)
            #expect(restored.readSeq(of: bob, in: lobby) == 5)
            #expect(try restored.messages(in: lobby, for: alice, before: nil, limit: 3) == h.engine.messages(in: lobby, for: alice, before: nil, limit: 3))
            #expect(restored.recentMessage(sent[3].id, in: lobby)?.isDeleted == true)
            #expect(restored.recentMessage(sent[4].id, in: lobby)?.text == "m5 edited")
        }
    }

    @Test func inconsistentFactsAreRefusedWithTheirPosition() {
        let alice = User(id: UserID(1), username: "alice", registeredAt: .zero)
        let lobby = Room(id: RoomID(1), kind: .public, name: "lobby", createdBy: alice.id, createdAt: .zero, pair: nil)
        let message = Message(id: MessageID(1), room: lobby.id, seq: 1, sender: alice.id, text: "x", clientMessageID: nil, sentAt: .zero)
        let cases: [([Fact], RestoreError)] = [
            ([.userRegistered(User(id: UserID(2), username: "b", registeredAt: .zero))], RestoreError(index: 0, reason: "user id 2 is out of order")),
            ([.userRegistered(alice), .userRegistered(User(id: UserID(2), username: "ALICE", registeredAt: .zero))], RestoreError(index: 1, reason: "username ALICE is taken")),
            ([.messageAccepted(message)], RestoreError(index: 0, reason: "unknown room 1")),
            ([.userRegistered(alice), .roomCreated(lobby), .messageAccepted(message), .messageAccepted(message)], RestoreError(index: 3, reason: "seq 1 does not follow 1")),
            ([.userRegistered(alice), .roomCreated(lobby), .memberRemoved(lobby.id, alice.id)], RestoreError(index: 2, reason: "user 1 is not a member of room 1")),
            ([.userRegistered(alice), .roomCreated(lobby), .roomCreated(Room(id: RoomID(2), kind: .group, name: "lobby", createdBy: alice.id, createdAt: .zero, pair: nil))], RestoreError(index: 2, reason: "room name lobby is taken")),
            ([.userRegistered(alice), .roomCreated(lobby), .messageEdited(message)], RestoreError(index: 2, reason: "message seq 1 is not accepted yet")),
            ([.userRegistered(alice), .roomCreated(lobby), .readMarkerMoved(lobby.id, alice.id, seq: 1)], RestoreError(index: 2, reason: "read marker 1 is past the last seq 0")),
            ([.userRegistered(alice), .readMarkerMoved(lobby.id, alice.id, seq: 0)], RestoreError(index: 1, reason: "unknown room 1")),
        ]
        for (facts, error) in cases {
            #expect(throws: error) { try ChatEngine(restoring: facts) }
        }
    }
}
