import ChatEngine
import ChatStore
import ChatTestSupport
import Foundation
import Testing

@Suite struct EditsAndReadMarkersTests {
    /// alice and bob in "lobby" with five messages (bob sent 2 and 4), an edit of 1, a deletion of 3.
    private func makeChat(_ database: TestDatabase) async throws -> (PersistedEngine, [Message]) {
        var chat = PersistedEngine(engine: ChatEngine(configuration: ChatConfiguration(recentMessagesPerRoom: 2)), store: try await database.open())
        try await chat.run(.register(username: "alice"))
        try await chat.run(.register(username: "bob"))
        try await chat.run(.createPublicRoom(by: UserID(1), name: "lobby"))
        var sent: [Message] = []
        for index in 1...5 {
            sent.append(try #require(try await chat.run(.send(by: UserID(index % 2 == 0 ? 2 : 1), room: RoomID(1), text: "m\(index)"), at: Instant(milliseconds: Int64(index))).sent))
        }
        #expect(try await chat.run(.edit(by: UserID(1), message: sent[0], text: "m1 edited"), at: Instant(milliseconds: 50)).rejection == nil)
        #expect(try await chat.run(.delete(by: UserID(1), message: sent[2])).rejection == nil)
        return (chat, sent)
    }

    @Test(arguments: StoreKind.underTest) func editsAndDeletionsAreStoredAndReadBack(_ kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { database in
            let (chat, sent) = try await makeChat(database)
            let all = try await chat.store.messages(in: RoomID(1), before: nil, limit: 10, includingDeleted: true)
            #expect(all.map(\.text) == ["m1 edited", "m2", "", "m4", "m5"])
            #expect(all.map(\.isDeleted) == [false, false, true, false, false])
            #expect(all[0].editedAt == Instant(milliseconds: 50) && all[1].editedAt == nil)
            let visible = try await chat.store.messages(in: RoomID(1), after: 0, limit: 10, includingDeleted: false)
            #expect(visible.map(\.seq) == [1, 2, 4, 5])
            #expect(try await chat.store.latestMessages(in: [RoomID(1)], before: nil, limit: 10).map(\.seq) == [1, 2, 4, 5])
            #expect(try await chat.store.message(sent[2].id)?.isDeleted == true)
            #expect(try await chat.store.message(sent[0].id)?.text == "m1 edited")
            #expect(try await chat.store.message(MessageID(99)) == nil)
        }
    }

    @Test(arguments: StoreKind.underTest) func readMarkersOnlyMoveForwardAndCountUnreadMessagesOfOthers(_ kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { database in
            var (chat, _) = try await makeChat(database)
            #expect(try await chat.store.unreadCounts(of: UserID(1), after: [(RoomID(1), 0)]) == [2])  // m2, m4 (m3 deleted, m1 and m5 its own)
            #expect(try await chat.store.unreadCounts(of: UserID(2), after: [(RoomID(1), 0), (RoomID(1), 4)]) == [2, 1])
            try await chat.run(.markRead(by: UserID(1), room: RoomID(1), seq: 3))
            // Written out of order by a writer that lost a race: the stored marker keeps the highest.
            try await chat.store.append([.fact(.readMarkerMoved(RoomID(1), UserID(1), seq: 2))])
            let restored = try ChatEngine(restoring: try await database.open().recover(window: 2))
            #expect(restored.readSeq(of: UserID(1), in: RoomID(1)) == 3)
            #expect(restored.readSeq(of: UserID(2), in: RoomID(1)) == 0)
            #expect(try await chat.store.unreadCounts(of: UserID(1), after: [(RoomID(1), restored.readSeq(of: UserID(1), in: RoomID(1)))]) == [1])
        }
    }

    @Test(arguments: StoreKind.underTest) func aRestoredEngineHoldsTheWindowAsEditedAndDeleted(_ kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { database in
            let (chat, sent) = try await makeChat(database)
            var restored = try ChatEngine(configuration: ChatConfiguration(recentMessagesPerRoom: 2), restoring: try await database.open().recover(window: 2))
            #expect(restored.recentMessage(sent[4].id, in: RoomID(1))?.text == "m5")
            #expect(restored.recentMessage(sent[2].id, in: RoomID(1)) == nil)  // outside the window of 2
            // An edit of a message older than the window, as the store hands it back.
            let stored = try #require(try await chat.store.message(sent[2].id))
            #expect(restored.handle(.edit(by: UserID(1), message: stored, text: "again"), at: .zero).rejection == .messageDeleted)
        }
    }

    @Test(arguments: StoreKind.underTest) func theEpochIsFixedForAStoreAndNewForANewOne(_ kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { database in
            let epoch = try await database.open().epoch()
            #expect(epoch.count == 16)
            #expect(try await database.open().epoch() == epoch)
            let other = try await TestDatabase.with(kind) { other in try await other.open().epoch() }
            #expect(other != epoch)
        }
    }
}
