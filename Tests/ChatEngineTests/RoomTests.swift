import ChatEngine
import ChatTestSupport
import Testing

@Suite struct RoomTests {
    @Test func creatingAPublicRoom() {
        var h = Harness()
        let alice = h.register("alice")
        h.advance(5)
        let lobby = Room(id: RoomID(1), kind: .public, name: "Lobby ☕", createdBy: alice, createdAt: Instant(milliseconds: 5), pair: nil)
        #expect(h.run(.createPublicRoom(by: alice, name: "Lobby ☕")) == Outcome(.success(.room(lobby)), events: [.fact(.roomCreated(lobby))]))
        #expect(h.engine.room(named: "Lobby ☕") == lobby)
        #expect(h.engine.members(of: lobby.id).isEmpty)
    }

    @Test func creatingAGroupWithMembers() {
        var h = Harness()
        let alice = h.register("alice")
        let bob = h.register("bob")
        let carol = h.register("carol")
        let team = Room(id: RoomID(1), kind: .group, name: "team", createdBy: alice, createdAt: .zero, pair: nil)
        let owner = Member(user: alice, role: .owner, joinedAt: .zero)
        let memberBob = Member(user: bob, role: .member, joinedAt: .zero)
        let memberCarol = Member(user: carol, role: .member, joinedAt: .zero)
        // Names resolve case-insensitively; duplicates and the owner are ignored.
        #expect(h.run(.createGroup(by: alice, name: "team", members: ["CAROL", "bob", "carol", "alice"])) == Outcome(
            .success(.room(team)),
            events: [
                .fact(.roomCreated(team)), .fact(.memberAdded(team.id, owner)),
                .fact(.memberAdded(team.id, memberCarol)), .fact(.memberAdded(team.id, memberBob)),
            ]))
        #expect(h.engine.members(of: team.id) == [owner, memberCarol, memberBob])
    }

    @Test func creatingAGroupNamesEachUnknownUser() {
        var h = Harness()
        let alice = h.register("alice")
        _ = h.register("bob")
        #expect(h.run(.createGroup(by: alice, name: "team", members: ["bob", "zed", "yan", "zed"])) == rejected(.unknownUsers(["zed", "yan"])))
        #expect(Rejection.unknownUsers(["zed", "yan"]).message == "Unknown users: zed, yan")
        #expect(Rejection.unknownUsers(["zed"]).message == "Unknown user: zed")
        #expect(h.engine.room(named: "team") == nil)
    }

    @Test func publicAndGroupRoomsShareOneNamespace() {
        var h = Harness()
        let alice = h.register("alice")
        _ = h.publicRoom("general", by: alice)
        _ = h.group("team", owner: alice)
        #expect(h.run(.createGroup(by: alice, name: "general", members: [])) == rejected(.roomNameTaken))
        #expect(h.run(.createPublicRoom(by: alice, name: "team")) == rejected(.roomNameTaken))
        #expect(h.run(.createPublicRoom(by: alice, name: "general")) == rejected(.roomNameTaken))
        #expect(Rejection.roomNameTaken.message == "A room with that name already exists")
    }

    @Test(arguments: ["", "   ", "a/b", "bell\u{07}", "new\nline", String(repeating: "r", count: 101)])
    func invalidRoomNamesAreRejected(_ name: String) {
        var h = Harness()
        let alice = h.register("alice")
        #expect(h.run(.createPublicRoom(by: alice, name: name)) == rejected(.invalidRoomName))
        #expect(h.run(.createGroup(by: alice, name: name, members: [])) == rejected(.invalidRoomName))
        #expect(h.engine.visibleRooms(for: alice).isEmpty)
        #expect(Rejection.invalidRoomName.message == "Room name must be 1 to 100 characters, without '/' or control characters")
    }

    @Test func aHundredCharacterNameIsValid() {
        var h = Harness()
        let alice = h.register("alice")
        #expect(h.run(.createPublicRoom(by: alice, name: String(repeating: "é", count: 100))).rejection == nil)
    }

    @Test func unknownCreatorsAreRejected() {
        var h = Harness()
        #expect(h.run(.createPublicRoom(by: UserID(3), name: "x")) == rejected(.unknownUserID(UserID(3))))
    }

    @Test func privateRoomsAreCreatedOnFirstUseOncePerPair() {
        var h = Harness()
        let alice = h.register("alice")
        let bob = h.register("bob")
        let pair = UserPair(alice, bob)!
        let dm = Room(id: RoomID(1), kind: .private, name: "alice, bob", createdBy: bob, createdAt: .zero, pair: pair)
        #expect(h.run(.openPrivateRoom(by: bob, with: "ALICE")) == Outcome(
            .success(.room(dm)),
            events: [
                .fact(.roomCreated(dm)),
                .fact(.memberAdded(dm.id, Member(user: alice, role: .member, joinedAt: .zero))),
                .fact(.memberAdded(dm.id, Member(user: bob, role: .member, joinedAt: .zero))),
            ]))
        #expect(h.run(.openPrivateRoom(by: alice, with: "bob")) == Outcome(.success(.room(dm))))
        #expect(h.run(.openPrivateRoom(by: alice, with: "alice")) == rejected(.cannotChatWithYourself))
        #expect(h.run(.openPrivateRoom(by: alice, with: "nobody")) == rejected(.unknownUsers(["nobody"])))
        #expect(Rejection.cannotChatWithYourself.message == "You cannot chat with yourself")
    }

    @Test func privateRoomsBySocketAddress() throws {
        var h = Harness()
        let alice = h.register("alice")
        _ = h.register("bob")
        h.run(.openSession(SessionID(1), user: alice))
        #expect(h.run(.subscribe(SessionID(1), to: .privateWith(username: "alice"))) == rejected(.cannotChatWithYourself))
        #expect(h.run(.subscribe(SessionID(1), to: .privateWith(username: "zed"))) == rejected(.unknownUsers(["zed"])))
        let dm = try #require(h.run(.subscribe(SessionID(1), to: .privateWith(username: "bob"))).room)
        #expect(dm.kind == .private)
        #expect(h.engine.subscribers(of: dm.id) == sessions(1))
    }

    @Test func aThirdUserCannotReachAPairsRoom() throws {
        var h = Harness()
        let alice = h.register("alice")
        _ = h.register("bob")
        let eve = h.register("eve")
        let dm = try #require(h.run(.openPrivateRoom(by: alice, with: "bob")).room)
        h.run(.openSession(SessionID(9), user: eve))
        #expect(h.run(.subscribe(SessionID(9), to: .id(dm.id))) == rejected(.notMember))
        #expect(h.run(.send(by: eve, room: dm.id, text: "hi")) == rejected(.notMember))
        #expect(h.run(.typing(by: eve, room: dm.id, isTyping: true)) == rejected(.notMember))
        #expect(throws: Rejection.notMember) { try h.engine.messages(in: dm.id, for: eve, before: nil, limit: 50) }
        #expect(!h.engine.visibleRooms(for: eve).contains(dm))
    }

    @Test func visibleRoomsArePublicOnesAndTheUsersOwn() throws {
        var h = Harness()
        let alice = h.register("alice")
        let bob = h.register("bob")
        let carol = h.register("carol")
        let lobby = h.publicRoom("lobby", by: carol)
        let team = h.group("team", owner: alice, members: ["bob"])
        let secret = h.group("secret", owner: carol)
        let dm = try #require(h.run(.openPrivateRoom(by: alice, with: "carol")).room)
        #expect(h.engine.visibleRooms(for: alice) == [lobby, team, dm])
        #expect(h.engine.visibleRooms(for: bob) == [lobby, team])
        #expect(h.engine.visibleRooms(for: carol) == [lobby, secret, dm])
    }
}
