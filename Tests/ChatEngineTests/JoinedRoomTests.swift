import ChatEngine
import ChatTestSupport
import Testing

/// A user's open sessions learn of rooms the user becomes a member of.
@Suite struct JoinedRoomTests {
    @Test func aNewGroupIsPushedToEveryMembersSessions() throws {
        var h = Harness()
        let alice = h.register("alice")
        let bob = h.register("bob")
        h.register("carol")
        h.run(.openSession(SessionID(1), user: alice))
        h.run(.openSession(SessionID(2), user: bob))
        h.run(.openSession(SessionID(3), user: bob))
        let outcome = h.run(.createGroup(by: alice, name: "team", members: ["bob", "carol"]))
        let room = try #require(outcome.room)
        let pushes = outcome.events.filter { if case .delivery = $0 { true } else { false } }
        #expect(pushes == [delivery(.joined(room), to: 1), delivery(.joined(room), to: 2, 3)])
    }

    @Test func anAddedMemberAndBothUsersOfANewPrivateRoomAreTold() throws {
        var h = Harness()
        let alice = h.register("alice")
        let bob = h.register("bob")
        let team = h.group("team", owner: alice)
        h.run(.openSession(SessionID(1), user: alice))
        h.run(.openSession(SessionID(2), user: bob))
        let added = h.run(.addMember(by: alice, room: team.id, username: "bob"))
        #expect(added.events.last == delivery(.joined(team), to: 2))
        let opened = h.run(.openPrivateRoom(by: alice, with: "bob"))
        let dm = try #require(opened.room)
        #expect(opened.events.suffix(2) == [delivery(.joined(dm), to: 1), delivery(.joined(dm), to: 2)])
        #expect(h.run(.openPrivateRoom(by: bob, with: "alice")).events.isEmpty)
    }

    @Test func aRemovedMembersOtherSessionsAreToldTheyLeft() throws {
        var h = Harness()
        let alice = h.register("alice")
        let bob = h.register("bob")
        let team = h.group("team", owner: alice, members: ["bob"]).id
        h.connect(2, bob, to: team)
        h.run(.openSession(SessionID(3), user: bob))  // another device, not in the room
        let outcome = h.run(.removeMember(by: alice, room: team, username: "bob"))
        let pushes = outcome.events.filter { if case .delivery = $0 { true } else { false } }
        #expect(pushes.prefix(2) == [delivery(.unsubscribed(team, because: .removedFromRoom), to: 2), delivery(.left(team), to: 3)])
    }
}
