import ChatEngine
import ChatTestSupport
import Testing

@Suite struct TypingTests {
    /// alice (sessions 1 and 2) and bob (session 3) in a public room.
    struct Room {
        var h = Harness()
        let alice: UserID, bob: UserID
        let id: RoomID
        init() {
            alice = h.register("alice")
            bob = h.register("bob")
            id = h.publicRoom("lobby", by: alice).id
            h.connect(1, alice, to: id)
            h.connect(2, alice, to: id)
            h.connect(3, bob, to: id)
        }
    }

    @Test func typingIsAnnouncedOnceToOtherUsersAndExpiresAtItsDeadline() {
        var r = Room()
        #expect(r.h.run(.typing(by: r.alice, room: r.id, isTyping: true)) == Outcome(
            .success(.done), events: [delivery(.typing(r.id, r.alice, isTyping: true), to: 3)]))
        #expect(r.h.engine.nextDeadline == Instant(milliseconds: 5_000))
        r.h.advance(3_000)
        // A repeated start only moves the deadline.
        #expect(r.h.run(.typing(by: r.alice, room: r.id, isTyping: true)) == Outcome(.success(.done)))
        #expect(r.h.engine.nextDeadline == Instant(milliseconds: 8_000))
        r.h.advance(4_999)
        #expect(r.h.run(.tick) == Outcome(.success(.done)))
        r.h.advance(1)
        #expect(r.h.run(.tick) == Outcome(.success(.done), events: [delivery(.typing(r.id, r.alice, isTyping: false), to: 3)]))
        #expect(r.h.engine.nextDeadline == nil)
    }

    @Test func expiryComesFirstInTheNextCommandsEvents() {
        var r = Room()
        r.h.run(.typing(by: r.bob, room: r.id, isTyping: true))
        r.h.advance(6_000)
        #expect(r.h.run(.register(username: "x y")) == Outcome(
            .failure(.invalidUsername), events: [delivery(.typing(r.id, r.bob, isTyping: false), to: 1, 2)]))
    }

    @Test func deadlinesExpireInOrder() {
        var r = Room()
        r.h.run(.typing(by: r.bob, room: r.id, isTyping: true))
        r.h.advance(10)
        r.h.run(.typing(by: r.alice, room: r.id, isTyping: true))
        #expect(r.h.engine.nextDeadline == Instant(milliseconds: 5_000))
        r.h.advance(60_000)
        #expect(r.h.run(.tick).events == [
            delivery(.typing(r.id, r.bob, isTyping: false), to: 1, 2),
            delivery(.typing(r.id, r.alice, isTyping: false), to: 3),
        ])
    }

    @Test func sendingAMessageStopsTyping() throws {
        var r = Room()
        r.h.run(.typing(by: r.alice, room: r.id, isTyping: true))
        let outcome = r.h.run(.send(by: r.alice, room: r.id, text: "done"))
        let message = try #require(outcome.sent)
        #expect(outcome.events == [
            .fact(.messageAccepted(message)),
            delivery(.message(message), to: 1, 2, 3),
            delivery(.typing(r.id, r.alice, isTyping: false), to: 3),
        ])
        #expect(r.h.engine.nextDeadline == nil)
    }

    @Test func sayingStopStopsTypingOnce() {
        var r = Room()
        r.h.run(.typing(by: r.alice, room: r.id, isTyping: true))
        #expect(r.h.run(.typing(by: r.alice, room: r.id, isTyping: false)).events == [delivery(.typing(r.id, r.alice, isTyping: false), to: 3)])
        #expect(r.h.run(.typing(by: r.alice, room: r.id, isTyping: false)) == Outcome(.success(.done)))
    }

    @Test func closingTheLastSessionInTheRoomStopsTyping() {
        var r = Room()
        r.h.run(.typing(by: r.alice, room: r.id, isTyping: true))
        #expect(r.h.run(.closeSession(SessionID(1))) == Outcome(.success(.done)))
        #expect(r.h.run(.closeSession(SessionID(2))) == Outcome(
            .success(.done),
            events: [
                delivery(.typing(r.id, r.alice, isTyping: false), to: 3),
                delivery(.presence(r.id, r.alice, isOnline: false), to: 3),
            ]))
    }

    @Test func typingNeedsReadAccess() {
        var r = Room()
        let eve = r.h.register("eve")
        let team = r.h.group("team", owner: r.alice).id
        #expect(r.h.run(.typing(by: eve, room: team, isTyping: true)) == rejected(.notMember))
        #expect(r.h.run(.typing(by: eve, room: RoomID(77), isTyping: true)) == rejected(.unknownRoom))
        #expect(r.h.engine.nextDeadline == nil)
    }

    @Test func theTimeoutIsConfigurable() {
        var h = Harness(ChatConfiguration(typingTimeout: 250))
        let alice = h.register("alice")
        let lobby = h.publicRoom("lobby", by: alice).id
        h.run(.typing(by: alice, room: lobby, isTyping: true))
        #expect(h.engine.nextDeadline == Instant(milliseconds: 250))
    }
}

@Suite struct PresenceTests {
    @Test func presenceCountsUsersNotSessions() {
        var h = Harness()
        let alice = h.register("alice")
        let bob = h.register("bob")
        let lobby = h.publicRoom("lobby", by: alice).id
        h.connect(1, bob, to: lobby)
        h.run(.openSession(SessionID(2), user: alice))
        h.run(.openSession(SessionID(3), user: alice))
        #expect(h.run(.subscribe(SessionID(2), to: .id(lobby))).events == [delivery(.presence(lobby, alice, isOnline: true), to: 1)])
        #expect(h.run(.subscribe(SessionID(3), to: .id(lobby))).events == [])
        #expect(h.engine.onlineUsers(in: lobby) == [alice, bob])
        #expect(h.run(.unsubscribe(SessionID(2), from: lobby)).events == [])
        #expect(h.engine.onlineUsers(in: lobby) == [alice, bob])
        #expect(h.run(.closeSession(SessionID(3))).events == [delivery(.presence(lobby, alice, isOnline: false), to: 1)])
        #expect(h.engine.onlineUsers(in: lobby) == [bob])
    }

    @Test func closingASessionLeavesEveryRoomInOrder() {
        var h = Harness()
        let alice = h.register("alice")
        let bob = h.register("bob")
        let a = h.publicRoom("a", by: alice).id
        let b = h.publicRoom("b", by: alice).id
        h.connect(1, bob, to: a)
        h.connect(2, bob, to: b)
        h.run(.openSession(SessionID(3), user: alice))
        h.run(.subscribe(SessionID(3), to: .id(b)))
        h.run(.subscribe(SessionID(3), to: .id(a)))
        #expect(h.run(.closeSession(SessionID(3))).events == [
            delivery(.presence(a, alice, isOnline: false), to: 1),
            delivery(.presence(b, alice, isOnline: false), to: 2),
        ])
        #expect(h.engine.sessionUser(SessionID(3)) == nil)
    }
}
