import ChatEngine
import Testing

@Suite struct SessionTests {
    @Test func sessionsOpenOnceForKnownUsers() {
        var h = Harness()
        let alice = h.register("alice")
        #expect(h.run(.openSession(SessionID(1), user: alice)) == Outcome(.success(.done)))
        #expect(h.run(.openSession(SessionID(1), user: alice)) == rejected(.sessionAlreadyOpen))
        #expect(h.run(.openSession(SessionID(2), user: UserID(9))) == rejected(.unknownUserID(UserID(9))))
        #expect(Rejection.unknownUserID(UserID(9)).message == "Unknown user id 9")
        #expect(h.engine.sessionUser(SessionID(1)) == alice)
        #expect(h.engine.sessionUser(SessionID(2)) == nil)
    }

    @Test func closingAnUnknownSessionIsRejected() {
        var h = Harness()
        #expect(h.run(.closeSession(SessionID(7))) == rejected(.unknownSession))
        #expect(Rejection.unknownSession.message == "Unknown session")
    }

    @Test func subscribingByNameCreatesAPublicRoomOnFirstUse() {
        var h = Harness()
        let alice = h.register("alice")
        h.run(.openSession(SessionID(1), user: alice))
        let lobby = Room(id: RoomID(1), kind: .public, name: "lobby", createdBy: alice, createdAt: .zero, pair: nil)
        #expect(h.run(.subscribe(SessionID(1), to: .named("lobby"))) == Outcome(.success(.room(lobby)), events: [.fact(.roomCreated(lobby))]))
        #expect(h.run(.subscribe(SessionID(1), to: .named("lobby"))) == rejected(.alreadySubscribed))
        #expect(h.engine.rooms(of: SessionID(1)) == [RoomID(1)])
        #expect(h.run(.subscribe(SessionID(1), to: .named("a/b"))) == rejected(.invalidRoomName))
    }

    @Test func subscribingToAGroupRequiresMembership() {
        var h = Harness()
        let alice = h.register("alice")
        let eve = h.register("eve")
        let team = h.group("team", owner: alice)
        h.run(.openSession(SessionID(1), user: eve))
        #expect(h.run(.subscribe(SessionID(1), to: .named("team"))) == rejected(.notMember))
        #expect(h.run(.subscribe(SessionID(1), to: .group(named: "team"))) == rejected(.notMember))
        #expect(h.run(.subscribe(SessionID(1), to: .id(team.id))) == rejected(.notMember))
        #expect(h.run(.subscribe(SessionID(1), to: .group(named: "nope"))) == rejected(.unknownRoom))
        #expect(h.run(.subscribe(SessionID(1), to: .id(RoomID(99)))) == rejected(.unknownRoom))
        #expect(h.run(.subscribe(SessionID(2), to: .id(team.id))) == rejected(.unknownSession))
        #expect(h.engine.subscribers(of: team.id).isEmpty)
        #expect(Rejection.notMember.message == "You are not a member of this room")
        #expect(Rejection.unknownRoom.message == "Unknown room")
    }

    @Test func aPublicRoomIsNotAGroup() {
        var h = Harness()
        let alice = h.register("alice")
        _ = h.publicRoom("lobby", by: alice)
        h.run(.openSession(SessionID(1), user: alice))
        #expect(h.run(.subscribe(SessionID(1), to: .group(named: "lobby"))) == rejected(.unknownRoom))
    }

    @Test func unsubscribeNeedsASubscription() {
        var h = Harness()
        let alice = h.register("alice")
        let lobby = h.publicRoom("lobby", by: alice)
        h.run(.openSession(SessionID(1), user: alice))
        #expect(h.run(.unsubscribe(SessionID(1), from: lobby.id)) == rejected(.notSubscribed))
        #expect(h.run(.unsubscribe(SessionID(1), from: RoomID(5))) == rejected(.unknownRoom))
        #expect(h.run(.subscribe(SessionID(1), to: .id(lobby.id))).rejection == nil)
        #expect(h.run(.unsubscribe(SessionID(1), from: lobby.id)) == Outcome(.success(.done)))
        #expect(h.engine.subscribers(of: lobby.id).isEmpty)
        #expect(Rejection.notSubscribed.message == "This session is not in the room")
        #expect(Rejection.alreadySubscribed.message == "This session is already in the room")
    }
}
