import ChatEngine
import ChatTestSupport
import Testing

@Suite struct EditTests {
    /// alice owns "team" with bob (admin) and carol; sessions 1 (alice) and 2 (bob) are in it;
    /// alice's first message is returned.
    private func team() -> (Harness, alice: UserID, bob: UserID, carol: UserID, room: RoomID, first: Message) {
        var h = Harness()
        let alice = h.register("alice")
        let bob = h.register("bob")
        let carol = h.register("carol")
        let room = h.group("team", owner: alice, members: ["bob", "carol"]).id
        h.run(.changeRole(by: alice, room: room, username: "bob", role: .admin))
        h.connect(1, alice, to: room)
        h.connect(2, bob, to: room)
        let first = h.send("frist", by: alice, in: room)!
        return (h, alice, bob, carol, room, first)
    }

    @Test func theAuthorEditsAndTheRoomIsTold() {
        var (h, alice, _, _, _, first) = team()
        h.advance(2_000)
        let outcome = h.run(.edit(by: alice, message: first, text: "first"))
        let edited = first.edited(to: "first", at: Instant(milliseconds: 2_000))
        #expect(outcome == Outcome(.success(.message(edited)), events: [.fact(.messageEdited(edited)), delivery(.edited(edited), to: 1, 2)]))
        #expect(edited.seq == first.seq && edited.id == first.id && edited.editedAt == Instant(milliseconds: 2_000))
        #expect(h.engine.recentMessage(first.id, in: first.room) == edited)
    }

    @Test func onlyTheAuthorEditsWithTheRulesOfASend() {
        var (h, _, bob, _, _, first) = team()
        let eve = h.register("eve")
        #expect(h.run(.edit(by: bob, message: first, text: "mine now")) == rejected(.notAuthor))
        #expect(h.run(.edit(by: eve, message: first, text: "x")) == rejected(.unknownMessage))
        #expect(h.run(.edit(by: first.sender, message: first, text: "  ")) == rejected(.emptyMessage))
        #expect(h.run(.edit(by: first.sender, message: first, text: String(repeating: "x", count: 4_001))) == rejected(.messageTooLong(limit: 4_000)))
        #expect(h.run(.edit(by: first.sender, message: first, text: "a\u{0}b")) == rejected(.textContainsNul))
        #expect(h.engine.recentMessage(first.id, in: first.room) == first)
        #expect(Rejection.notAuthor.message == "Only the author may edit this message")
    }

    @Test func aMessageThatDoesNotExistIsUnknown() {
        var (h, alice, _, _, room, first) = team()
        let future = Message(id: MessageID(9), room: room, seq: 9, sender: alice, text: "x", clientMessageID: nil, sentAt: .zero)
        let wrongID = Message(id: MessageID(7), room: room, seq: first.seq, sender: alice, text: "x", clientMessageID: nil, sentAt: .zero)
        let wrongRoom = Message(id: first.id, room: RoomID(40), seq: 1, sender: alice, text: "x", clientMessageID: nil, sentAt: .zero)
        for message in [future, wrongID, wrongRoom] {
            #expect(h.run(.edit(by: alice, message: message, text: "y")) == rejected(.unknownMessage))
            #expect(h.run(.delete(by: alice, message: message)) == rejected(.unknownMessage))
        }
        #expect(Rejection.unknownMessage.message == "Unknown message")
    }

    @Test func theAuthorOrAGroupsOwnerOrAdminDeletes() {
        var (h, alice, bob, carol, room, first) = team()
        let carols = h.send("carol's", by: carol, in: room)!
        let third = h.send("third", by: alice, in: room)!
        #expect(h.run(.delete(by: carol, message: first)) == rejected(.notAuthorOrModerator))
        let byAuthor = h.run(.delete(by: carol, message: carols))
        #expect(byAuthor == Outcome(.success(.message(carols.deleted)), events: [.fact(.messageDeleted(carols.deleted)), delivery(.deleted(carols.deleted), to: 1, 2)]))
        #expect(h.run(.delete(by: bob, message: third)).result == .success(.message(third.deleted)))
        #expect(h.run(.delete(by: alice, message: third)) == rejected(.messageDeleted))
        #expect(h.run(.edit(by: alice, message: third, text: "back")) == rejected(.messageDeleted))
        // A malformed edit is refused as malformed, whatever the message has become.
        #expect(h.run(.edit(by: alice, message: third, text: "")) == rejected(.emptyMessage))
        let gone = h.engine.recentMessage(third.id, in: room)
        #expect(gone?.isDeleted == true && gone?.text == "" && gone?.seq == third.seq)
        #expect(Rejection.notAuthorOrModerator.message == "Only the author, the room's owner or an admin may delete this message")
        #expect(Rejection.messageDeleted.message == "This message was deleted")
    }

    @Test func inPublicRoomsOnlyTheAuthorDeletes() {
        var h = Harness()
        let alice = h.register("alice")
        let bob = h.register("bob")
        let lobby = h.publicRoom("lobby", by: alice).id
        let message = h.send("mine", by: bob, in: lobby)!
        #expect(h.run(.delete(by: alice, message: message)) == rejected(.notAuthorOrModerator))
        #expect(h.run(.delete(by: bob, message: message)).rejection == nil)
    }

    @Test func aRemovedAuthorNoLongerEditsOrDeletes() {
        var (h, alice, _, carol, room, _) = team()
        let carols = h.send("carol's", by: carol, in: room)!
        h.run(.removeMember(by: alice, room: room, username: "carol"))
        #expect(h.run(.edit(by: carol, message: carols, text: "x")) == rejected(.unknownMessage))
        #expect(h.run(.delete(by: carol, message: carols)) == rejected(.unknownMessage))
    }

    @Test func aMessageOlderThanTheWindowIsEditedAsTheCallerStoredIt() {
        var h = Harness(ChatConfiguration(recentMessagesPerRoom: 2))
        let alice = h.register("alice")
        let lobby = h.publicRoom("lobby", by: alice).id
        let old = h.send("old", by: alice, in: lobby)!
        h.send("two", by: alice, in: lobby)
        h.send("three", by: alice, in: lobby)
        #expect(h.engine.recentMessage(old.id, in: lobby) == nil)
        let outcome = h.run(.edit(by: alice, message: old, text: "older"))
        #expect(outcome.result == .success(.message(old.edited(to: "older", at: .zero))))
        #expect(h.engine.lastSeq(of: lobby) == 3)
    }

    @Test func aRetryOfAnEditedMessageGetsItAsEdited() {
        var h = Harness()
        let alice = h.register("alice")
        let lobby = h.publicRoom("lobby", by: alice).id
        let sent = h.run(.send(by: alice, room: lobby, text: "tpyo", clientMessageID: "c1")).sent!
        h.run(.edit(by: alice, message: sent, text: "typo"))
        #expect(h.run(.send(by: alice, room: lobby, text: "tpyo", clientMessageID: "c1")).duplicate?.text == "typo")
    }
}
