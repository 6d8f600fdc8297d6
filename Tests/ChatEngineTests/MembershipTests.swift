import ChatEngine
import ChatTestSupport
import Testing

@Suite struct MembershipTests {
    /// alice owns "team"; bob is an admin, carol a member; dave is registered but outside.
    struct Team {
        var h = Harness()
        let alice: UserID, bob: UserID, carol: UserID, dave: UserID
        let room: RoomID

        init() {
            alice = h.register("alice")
            bob = h.register("bob")
            carol = h.register("carol")
            dave = h.register("dave")
            room = h.group("team", owner: alice, members: ["bob", "carol"]).id
            h.run(.changeRole(by: alice, room: room, username: "bob", role: .admin))
        }
    }

    @Test func ownersAndAdminsAddMembers() {
        var t = Team()
        t.h.connect(1, t.alice, to: t.room)
        let team = t.h.engine.room(t.room)!
        let dave = Member(user: t.dave, role: .member, joinedAt: .zero)
        #expect(t.h.run(.addMember(by: t.bob, room: t.room, username: "Dave")) == Outcome(
            .success(.room(team)),
            events: [.fact(.memberAdded(t.room, dave)), delivery(.membership(t.room, .added(t.dave, .member)), to: 1)]))
        #expect(t.h.run(.addMember(by: t.alice, room: t.room, username: "dave")) == rejected(.alreadyMember("dave")))
        #expect(t.h.run(.addMember(by: t.alice, room: t.room, username: "zed")) == rejected(.unknownUsers(["zed"])))
        #expect(Rejection.alreadyMember("dave").message == "dave is already a member of this room")
    }

    @Test func plainMembersAndOutsidersCannotAddMembers() {
        var t = Team()
        #expect(t.h.run(.addMember(by: t.carol, room: t.room, username: "dave")) == rejected(.notOwnerOrAdmin))
        #expect(t.h.run(.addMember(by: t.dave, room: t.room, username: "dave")) == rejected(.notMember))
        #expect(t.h.run(.addMember(by: t.alice, room: RoomID(42), username: "dave")) == rejected(.unknownRoom))
        #expect(t.h.engine.members(of: t.room).map(\.user) == [t.alice, t.bob, t.carol])
        #expect(Rejection.notOwnerOrAdmin.message == "Only the room's owner or an admin may change its members")
    }

    @Test func privateAndPublicRoomsRefuseMemberChanges() throws {
        var t = Team()
        let lobby = t.h.publicRoom("lobby", by: t.alice).id
        let dm = try #require(t.h.run(.openPrivateRoom(by: t.alice, with: "bob")).room)
        #expect(t.h.run(.addMember(by: t.alice, room: dm.id, username: "carol")) == rejected(.privateRoomHasFixedMembers))
        #expect(t.h.run(.removeMember(by: t.alice, room: dm.id, username: "bob")) == rejected(.privateRoomHasFixedMembers))
        #expect(t.h.run(.changeRole(by: t.alice, room: dm.id, username: "bob", role: .admin)) == rejected(.privateRoomHasFixedMembers))
        #expect(t.h.run(.addMember(by: t.alice, room: lobby, username: "carol")) == rejected(.publicRoomHasNoMembers))
        #expect(Rejection.privateRoomHasFixedMembers.message == "Private rooms have exactly two members")
        #expect(Rejection.publicRoomHasNoMembers.message == "Public rooms have no members")
    }

    @Test func onlyTheOwnerChangesRoles() {
        var t = Team()
        t.h.connect(1, t.carol, to: t.room)
        let team = t.h.engine.room(t.room)!
        #expect(t.h.run(.changeRole(by: t.bob, room: t.room, username: "carol", role: .admin)) == rejected(.notOwner))
        #expect(t.h.run(.changeRole(by: t.alice, room: t.room, username: "carol", role: .owner)) == rejected(.invalidRole))
        #expect(t.h.run(.changeRole(by: t.alice, room: t.room, username: "alice", role: .member)) == rejected(.cannotChangeOwnerRole))
        #expect(t.h.run(.changeRole(by: t.alice, room: t.room, username: "dave", role: .admin)) == rejected(.notAMember("dave")))
        #expect(t.h.run(.changeRole(by: t.alice, room: t.room, username: "carol", role: .admin)) == Outcome(
            .success(.room(team)),
            events: [.fact(.roleChanged(t.room, t.carol, .admin)), delivery(.membership(t.room, .roleChanged(t.carol, .admin)), to: 1)]))
        #expect(t.h.run(.changeRole(by: t.alice, room: t.room, username: "carol", role: .admin)) == Outcome(.success(.room(team))))
        #expect(Rejection.notOwner.message == "Only the room's owner may change roles")
        #expect(Rejection.invalidRole.message == "Role must be admin or member")
        #expect(Rejection.cannotChangeOwnerRole.message == "The owner's role cannot be changed")
        #expect(Rejection.notAMember("dave").message == "dave is not a member of this room")
    }

    @Test func adminsRemoveOnlyPlainMembers() {
        var t = Team()
        #expect(t.h.run(.removeMember(by: t.bob, room: t.room, username: "alice")) == rejected(.cannotRemoveOwnerOrAdmin))
        #expect(t.h.run(.removeMember(by: t.carol, room: t.room, username: "bob")) == rejected(.notOwnerOrAdmin))
        #expect(t.h.run(.removeMember(by: t.bob, room: t.room, username: "dave")) == rejected(.notAMember("dave")))
        #expect(t.h.run(.removeMember(by: t.dave, room: t.room, username: "dave")) == rejected(.notMember))
        #expect(t.h.run(.removeMember(by: t.bob, room: t.room, username: "carol")) == Outcome(
            .success(.done), events: [.fact(.memberRemoved(t.room, t.carol))]))
        #expect(Rejection.cannotRemoveOwnerOrAdmin.message == "Admins may remove only plain members")
    }

    @Test func aRemovedMemberStopsReceivingAtOnce() throws {
        var t = Team()
        t.h.connect(1, t.alice, to: t.room)
        t.h.connect(2, t.carol, to: t.room)
        t.h.connect(3, t.carol, to: t.room)
        t.h.connect(4, t.bob, to: t.room)
        t.h.send("before", by: t.alice, in: t.room)
        t.h.run(.typing(by: t.carol, room: t.room, isTyping: true))

        #expect(t.h.run(.removeMember(by: t.alice, room: t.room, username: "carol")) == Outcome(
            .success(.done),
            events: [
                .fact(.memberRemoved(t.room, t.carol)),
                delivery(.unsubscribed(t.room, because: .removedFromRoom), to: 2, 3),
                delivery(.typing(t.room, t.carol, isTyping: false), to: 1, 4),
                delivery(.presence(t.room, t.carol, isOnline: false), to: 1, 4),
                delivery(.membership(t.room, .removed(t.carol)), to: 1, 4),
            ]))
        #expect(t.h.engine.rooms(of: SessionID(2)).isEmpty)
        let after = t.h.run(.send(by: t.alice, room: t.room, text: "after"))
        let message = try #require(after.sent)
        #expect(after.events == [.fact(.messageAccepted(message)), delivery(.message(message), to: 1, 4)])
        #expect(t.h.run(.send(by: t.carol, room: t.room, text: "still here?")) == rejected(.notMember))
        #expect(t.h.run(.subscribe(SessionID(2), to: .id(t.room))) == rejected(.notMember))
    }

    @Test func anOwnerLeavingHandsTheRoomToTheOldestAdmin() {
        var t = Team()
        t.h.run(.addMember(by: t.alice, room: t.room, username: "dave"))
        t.h.run(.changeRole(by: t.alice, room: t.room, username: "dave", role: .admin))
        t.h.connect(1, t.carol, to: t.room)
        // bob became admin before dave and joined earlier: he inherits.
        #expect(t.h.run(.removeMember(by: t.alice, room: t.room, username: "alice")) == Outcome(
            .success(.done),
            events: [
                .fact(.memberRemoved(t.room, t.alice)),
                delivery(.membership(t.room, .removed(t.alice)), to: 1),
                .fact(.roleChanged(t.room, t.bob, .owner)),
                delivery(.membership(t.room, .roleChanged(t.bob, .owner)), to: 1),
            ]))
        #expect(t.h.engine.members(of: t.room).map(\.role) == [.owner, .member, .admin])
    }

    @Test func withoutAdminsTheOldestMemberInherits() {
        var h = Harness()
        let alice = h.register("alice")
        let bob = h.register("bob")
        let carol = h.register("carol")
        let room = h.group("team", owner: alice, members: ["carol", "bob"]).id
        #expect(h.run(.removeMember(by: alice, room: room, username: "alice")).events == [
            .fact(.memberRemoved(room, alice)), .fact(.roleChanged(room, carol, .owner)),
        ])
        #expect(h.run(.removeMember(by: carol, room: room, username: "bob")).events == [.fact(.memberRemoved(room, bob))])
    }

    @Test func aGroupWithoutMembersIsArchived() {
        var h = Harness()
        let alice = h.register("alice")
        let room = h.group("team", owner: alice).id
        #expect(h.run(.removeMember(by: alice, room: room, username: "alice")) == Outcome(
            .success(.done), events: [.fact(.memberRemoved(room, alice)), .fact(.roomArchived(room))]))
        #expect(h.engine.room(room)?.isArchived == true)
        #expect(h.engine.visibleRooms(for: alice).isEmpty)
        #expect(h.run(.addMember(by: alice, room: room, username: "alice")) == rejected(.roomArchived))
        #expect(h.run(.send(by: alice, room: room, text: "anyone?")) == rejected(.roomArchived))
        #expect(h.run(.createPublicRoom(by: alice, name: "team")) == rejected(.roomNameTaken))
        #expect(Rejection.roomArchived.message == "This room is archived")
    }
}
