import ChatEngine
import Testing

@Suite struct ReadMarkerTests {
    @Test func aMarkerMovesForwardAndTellsTheUsersOtherSessions() {
        var h = Harness()
        let alice = h.register("alice")
        let bob = h.register("bob")
        let lobby = h.publicRoom("lobby", by: alice).id
        h.connect(1, alice, to: lobby)
        h.run(.openSession(SessionID(2), user: alice))  // another device, not in the room
        h.connect(3, bob, to: lobby)
        for index in 1...3 { h.send("m\(index)", by: bob, in: lobby) }
        #expect(h.engine.readSeq(of: alice, in: lobby) == 0)
        let outcome = h.run(.markRead(by: alice, room: lobby, seq: 2, via: SessionID(1)))
        #expect(outcome == Outcome(.success(.done), events: [.fact(.readMarkerMoved(lobby, alice, seq: 2)), delivery(.readMarker(lobby, seq: 2), to: 2)]))
        #expect(h.engine.readSeq(of: alice, in: lobby) == 2)
        #expect(h.engine.readSeq(of: bob, in: lobby) == 0)
    }

    @Test func anOlderOrEqualMarkerChangesNothing() {
        var h = Harness()
        let alice = h.register("alice")
        let lobby = h.publicRoom("lobby", by: alice).id
        h.send("a", by: alice, in: lobby)
        h.send("b", by: alice, in: lobby)
        h.run(.markRead(by: alice, room: lobby, seq: 2))
        #expect(h.run(.markRead(by: alice, room: lobby, seq: 1)) == Outcome(.success(.done)))
        #expect(h.run(.markRead(by: alice, room: lobby, seq: 2)) == Outcome(.success(.done)))
        #expect(h.engine.readSeq(of: alice, in: lobby) == 2)
    }

    @Test func aMarkerMustNameASeqOfTheRoomAndARoomTheUserReads() {
        var h = Harness()
        let alice = h.register("alice")
        let eve = h.register("eve")
        let team = h.group("team", owner: alice).id
        h.send("a", by: alice, in: team)
        #expect(h.run(.markRead(by: alice, room: team, seq: 2)) == rejected(.invalidReadSeq(last: 1)))
        #expect(h.run(.markRead(by: alice, room: team, seq: -1)) == rejected(.invalidReadSeq(last: 1)))
        #expect(h.run(.markRead(by: eve, room: team, seq: 1)) == rejected(.notMember))
        #expect(h.run(.markRead(by: alice, room: RoomID(9), seq: 0)) == rejected(.unknownRoom))
        h.run(.openSession(SessionID(5), user: eve))
        #expect(h.run(.markRead(by: alice, room: team, seq: 1, via: SessionID(5))) == rejected(.sessionOfAnotherUser))
        #expect(h.engine.readSeq(of: alice, in: team) == 0)
        #expect(Rejection.invalidReadSeq(last: 1).message == "seq must be between 0 and 1, the room's last seq")
    }
}
