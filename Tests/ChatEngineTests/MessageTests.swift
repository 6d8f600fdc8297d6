import ChatEngine
import ChatTestSupport
import Testing

@Suite struct MessageTests {
    @Test func messagesGetGapFreeSeqsPerRoomAndGlobalIDs() {
        var h = Harness()
        let alice = h.register("alice")
        let a = h.publicRoom("a", by: alice).id
        let b = h.publicRoom("b", by: alice).id
        let sent = [h.send("1", by: alice, in: a), h.send("2", by: alice, in: b), h.send("3", by: alice, in: a), h.send("4", by: alice, in: a)]
        #expect(sent.map { $0?.seq } == [1, 1, 2, 3])
        #expect(sent.map { $0?.id.rawValue } == [1, 2, 3, 4])
        #expect(h.engine.lastSeq(of: a) == 3)
    }

    @Test func everySubscribedSessionReceivesTheMessageTheSendersIncluded() {
        var h = Harness()
        let alice = h.register("alice")
        let bob = h.register("bob")
        let eve = h.register("eve")
        let room = h.group("team", owner: alice, members: ["bob"]).id
        h.connect(3, bob, to: room)
        h.connect(1, alice, to: room)
        h.run(.openSession(SessionID(2), user: eve))
        h.advance(1_000)
        let outcome = h.run(.send(by: alice, room: room, text: "hello", clientMessageID: nil, via: SessionID(1)))
        let message = Message(id: MessageID(1), room: room, seq: 1, sender: alice, text: "hello", clientMessageID: nil, sentAt: Instant(milliseconds: 1_000))
        #expect(outcome == Outcome(.success(.sent(message)), events: [.fact(.messageAccepted(message)), delivery(.message(message), to: 1, 3)]))
    }

    @Test func publicRoomsTakeMessagesFromAnyone() {
        var h = Harness()
        let alice = h.register("alice")
        let bob = h.register("bob")
        let lobby = h.publicRoom("lobby", by: alice).id
        #expect(h.send("hi", by: bob, in: lobby)?.sender == bob)
    }

    @Test func nonMembersCannotSendToGroups() {
        var h = Harness()
        let alice = h.register("alice")
        let eve = h.register("eve")
        let room = h.group("team", owner: alice).id
        #expect(h.run(.send(by: eve, room: room, text: "let me in")) == rejected(.notMember))
        #expect(h.run(.send(by: eve, room: RoomID(9), text: "x")) == rejected(.unknownRoom))
        #expect(h.run(.send(by: UserID(99), room: room, text: "x")) == rejected(.unknownUserID(UserID(99))))
        #expect(h.engine.lastSeq(of: room) == 0)
    }

    @Test(arguments: ["", " ", "\n\t  \u{00A0}"])
    func emptyMessagesAreRejected(_ text: String) {
        var h = Harness()
        let alice = h.register("alice")
        let lobby = h.publicRoom("lobby", by: alice).id
        #expect(h.run(.send(by: alice, room: lobby, text: text)) == rejected(.emptyMessage))
        #expect(Rejection.emptyMessage.message == "Message is empty")
        #expect(h.engine.lastSeq(of: lobby) == 0)
    }

    @Test func lengthIsCountedInCharacters() {
        var h = Harness()
        let alice = h.register("alice")
        let lobby = h.publicRoom("lobby", by: alice).id
        #expect(h.send(String(repeating: "x", count: 4_000), by: alice, in: lobby) != nil)
        #expect(h.send(String(repeating: "👩‍👩‍👧", count: 4_000), by: alice, in: lobby) != nil)
        #expect(h.run(.send(by: alice, room: lobby, text: String(repeating: "x", count: 4_001))) == rejected(.messageTooLong(limit: 4_000)))
        #expect(h.run(.send(by: alice, room: lobby, text: String(repeating: "é", count: 4_001))) == rejected(.messageTooLong(limit: 4_000)))
        #expect(Rejection.messageTooLong(limit: 4_000).message == "Message is longer than 4000 characters")
        #expect(h.engine.lastSeq(of: lobby) == 2)
    }

    @Test func aRepeatedClientMessageIDStoresAndDeliversNothingNew() throws {
        var h = Harness()
        let alice = h.register("alice")
        let bob = h.register("bob")
        let lobby = h.publicRoom("lobby", by: alice).id
        h.connect(1, alice, to: lobby)
        h.connect(2, alice, to: lobby)
        h.connect(3, bob, to: lobby)
        let first = h.run(.send(by: alice, room: lobby, text: "once", clientMessageID: "c-1", via: SessionID(1)))
        let stored = try #require(first.sent)
        #expect(first.events == [.fact(.messageAccepted(stored)), delivery(.message(stored), to: 1, 2, 3)])

        #expect(h.run(.send(by: alice, room: lobby, text: "once", clientMessageID: "c-1", via: SessionID(2))) == Outcome(
            .success(.duplicate(stored)), events: [delivery(.message(stored), to: 2)]))
        #expect(h.run(.send(by: alice, room: lobby, text: "once", clientMessageID: "c-1")) == Outcome(.success(.duplicate(stored))))
        // Another sender's id space is separate.
        let bobs = try #require(h.run(.send(by: bob, room: lobby, text: "mine", clientMessageID: "c-1")).sent)
        #expect(bobs.seq == 2)
        #expect(h.engine.lastSeq(of: lobby) == 2)
    }

    @Test func theAcknowledgingSessionMustBeTheSenders() {
        var h = Harness()
        let alice = h.register("alice")
        let bob = h.register("bob")
        let lobby = h.publicRoom("lobby", by: alice).id
        h.run(.openSession(SessionID(5), user: bob))
        #expect(h.run(.send(by: alice, room: lobby, text: "x", clientMessageID: nil, via: SessionID(5))) == rejected(.sessionOfAnotherUser))
        #expect(h.run(.send(by: alice, room: lobby, text: "x", clientMessageID: nil, via: SessionID(6))) == rejected(.unknownSession))
        #expect(Rejection.sessionOfAnotherUser.message == "That session belongs to another user")
    }

    /// No store keeps U+0000 (SQLite cuts a text there, PostgreSQL refuses it): a text holding
    /// one is refused before anything is stored, wherever it is in the text.
    @Test(arguments: ["\u{0}", "a\u{0}b", "tail\u{0}", " \u{0} "])
    func aTextWithNulIsRejected(_ text: String) {
        var h = Harness()
        let alice = h.register("alice")
        let lobby = h.publicRoom("lobby", by: alice).id
        #expect(h.run(.send(by: alice, room: lobby, text: text)) == rejected(.textContainsNul))
        #expect(h.engine.sendRejection(by: alice, room: lobby, text: text, clientMessageID: nil, via: nil) == .textContainsNul)
        #expect(Rejection.textContainsNul.message == "Message must not contain U+0000 (NUL)")
        #expect(h.engine.lastSeq(of: lobby) == 0)
    }

    @Test(arguments: ["", String(repeating: "k", count: 101), "k\u{0}", "\u{0}"])
    func invalidClientMessageIDsAreRejected(_ id: String) {
        var h = Harness()
        let alice = h.register("alice")
        let lobby = h.publicRoom("lobby", by: alice).id
        #expect(h.run(.send(by: alice, room: lobby, text: "x", clientMessageID: id)) == rejected(.invalidClientMessageID))
        #expect(Rejection.invalidClientMessageID.message == "client_msg_id must be 1 to 100 characters, without U+0000")
    }

    @Test func resumingAfterASeqReturnsWhatWasMissedAndNamesTheGap() throws {
        var h = Harness(ChatConfiguration(recentMessagesPerRoom: 3))
        let alice = h.register("alice")
        let lobby = h.publicRoom("lobby", by: alice).id
        let sent = (1...5).compactMap { h.send("m\($0)", by: alice, in: lobby) }
        // Seqs 3, 4, 5 are held; 1 and 2 are the store's business.
        #expect(try h.engine.messages(in: lobby, for: alice, after: 3, limit: 10) == MessagePage(messages: Array(sent[3...]), missing: nil))
        #expect(try h.engine.messages(in: lobby, for: alice, after: 0, limit: 10) == MessagePage(messages: Array(sent[2...]), missing: 1...2))
        #expect(try h.engine.messages(in: lobby, for: alice, after: 0, limit: 1) == MessagePage(messages: [], missing: 1...1))
        #expect(try h.engine.messages(in: lobby, for: alice, after: 5, limit: 10) == MessagePage(messages: [], missing: nil))
        #expect(try h.engine.messages(in: lobby, for: alice, after: 2, limit: 2) == MessagePage(messages: Array(sent[2...3]), missing: nil))
    }

    /// A seq below 0 reads as 0 (found by exploration: an empty room used to trap building the range 1...0).
    @Test func resumingAfterANegativeSeqReadsFromTheStart() throws {
        var h = Harness(ChatConfiguration(recentMessagesPerRoom: 3))
        let alice = h.register("alice")
        let lobby = h.publicRoom("lobby", by: alice).id
        #expect(try h.engine.messages(in: lobby, for: alice, after: -3, limit: 2) == MessagePage(messages: [], missing: nil))
        let sent = (1...2).compactMap { h.send("m\($0)", by: alice, in: lobby) }
        #expect(try h.engine.messages(in: lobby, for: alice, after: -3, limit: 1) == MessagePage(messages: [sent[0]], missing: nil))
    }

    @Test func pagingBackwardsReturnsTheLatestBeforeASeq() throws {
        var h = Harness(ChatConfiguration(recentMessagesPerRoom: 4))
        let alice = h.register("alice")
        let lobby = h.publicRoom("lobby", by: alice).id
        let sent = (1...6).compactMap { h.send("m\($0)", by: alice, in: lobby) }
        #expect(try h.engine.messages(in: lobby, for: alice, before: nil, limit: 2) == MessagePage(messages: Array(sent[4...]), missing: nil))
        #expect(try h.engine.messages(in: lobby, for: alice, before: 5, limit: 2) == MessagePage(messages: Array(sent[2...3]), missing: nil))
        #expect(try h.engine.messages(in: lobby, for: alice, before: 4, limit: 3) == MessagePage(messages: [sent[2]], missing: 1...2))
        #expect(try h.engine.messages(in: lobby, for: alice, before: 1, limit: 3) == MessagePage(messages: [], missing: nil))
        #expect(throws: Rejection.unknownRoom) { try h.engine.messages(in: RoomID(8), for: alice, before: nil, limit: 3) }
    }

    @Test func duplicatesAreRecognisedWhileTheMessageIsHeld() {
        var h = Harness(ChatConfiguration(recentMessagesPerRoom: 2))
        let alice = h.register("alice")
        let lobby = h.publicRoom("lobby", by: alice).id
        h.run(.send(by: alice, room: lobby, text: "a", clientMessageID: "a"))
        #expect(h.run(.send(by: alice, room: lobby, text: "a", clientMessageID: "a")).result.map(\.isDuplicate) == .success(true))
        h.run(.send(by: alice, room: lobby, text: "b", clientMessageID: "b"))
        h.run(.send(by: alice, room: lobby, text: "c", clientMessageID: "c"))
        // "a" left the window; the store (not the engine) recognises it from here on.
        #expect(h.run(.send(by: alice, room: lobby, text: "a", clientMessageID: "a")).result.map(\.isDuplicate) == .success(false))
    }
}

extension Reply {
    var isDuplicate: Bool {
        if case .duplicate = self { return true }
        return false
    }
}

@Suite struct SendRejectionTests {
    @Test func sendRejectionAnswersLikeSendWithoutChangingAnything() {
        var h = Harness()
        let alice = h.register("alice")
        let eve = h.register("eve")
        let lobby = h.publicRoom("lobby", by: alice).id
        let team = h.group("team", owner: alice).id
        #expect(h.engine.sendRejection(by: alice, room: lobby, text: "fine", clientMessageID: "c", via: nil) == nil)
        #expect(h.engine.sendRejection(by: alice, room: lobby, text: " ", clientMessageID: "c", via: nil) == .emptyMessage)
        #expect(h.engine.sendRejection(by: eve, room: team, text: "x", clientMessageID: nil, via: nil) == .notMember)
        #expect(h.engine.sendRejection(by: alice, room: RoomID(9), text: "x", clientMessageID: nil, via: nil) == .unknownRoom)
        #expect(h.engine.sendRejection(by: alice, room: lobby, text: "x", clientMessageID: "", via: nil) == .invalidClientMessageID)
        #expect(h.engine.sendRejection(by: alice, room: lobby, text: "x", clientMessageID: nil, via: SessionID(4)) == .unknownSession)
        #expect(h.engine.lastSeq(of: lobby) == 0)
    }
}
