import ChatEngine
import ChatStore
import ChatTestSupport
import Foundation
import Testing

@Suite struct RecoveryTests {
    @Test(arguments: StoreKind.underTest) func anEngineRebuiltFromTheStoreBehavesLikeTheOriginal(_ kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { database in
            let configuration = ChatConfiguration(recentMessagesPerRoom: 10)
            var original = PersistedEngine(engine: ChatEngine(configuration: configuration), store: try await database.open())
            var script = RandomScript(seed: 11)
            var now = Instant.zero
            for _ in 0..<3_000 {
                let (command, instant) = script.next()
                now = instant
                try await original.run(command, at: instant)
            }
            // Sessions and typing are not stored: end them in the original too.
            for session in 1...10 { try await original.run(.closeSession(SessionID(Int64(session))), at: now) }
            now = now.advanced(by: configuration.typingTimeout)
            try await original.run(.tick, at: now)

            let reopened = try await database.open()
            var restored = try ChatEngine(configuration: configuration, restoring: try await reopened.recover(window: 10))
            var continuation = RandomScript(seed: 12, startingAt: now)
            var accepted = 0
            for step in 0..<3_000 {
                let (command, instant) = continuation.next()
                let expected = original.engine.handle(command, at: instant)
                let actual = restored.handle(command, at: instant)
                guard expected == actual else {
                    Issue.record("step \(step) \(command): expected \(expected), got \(actual)")
                    return
                }
                if case .success(.sent) = actual.result { accepted += 1 }
            }
            #expect(accepted > 50)
        }
    }

    @Test(arguments: StoreKind.underTest) func recoveryHandsBackEachRoomsLatestMessagesAndSeqsContinue(_ kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { database in
            var chat = PersistedEngine(engine: ChatEngine(), store: try await database.open())
            let alice = try #require(try await chat.run(.register(username: "alice")).user)
            try await chat.run(.createPublicRoom(by: alice.id, name: "a"))
            try await chat.run(.createPublicRoom(by: alice.id, name: "b"))
            for index in 1...30 {
                try await chat.run(.send(by: alice.id, room: RoomID(Int64(index % 2) + 1), text: "m\(index)", clientMessageID: "c\(index)"))
            }
            let facts = try await database.open().recover(window: 4)
            let messages = facts.compactMap { if case .messageAccepted(let m) = $0 { m } else { nil } }
            #expect(messages.map(\.id.rawValue) == [23, 24, 25, 26, 27, 28, 29, 30])
            var restored = try ChatEngine(configuration: ChatConfiguration(recentMessagesPerRoom: 4), restoring: facts)
            let next = try #require(restored.handle(.send(by: alice.id, room: RoomID(1), text: "next"), at: .zero).sent)
            #expect((next.id.rawValue, next.seq) == (31, 16))
        }
    }

    @Test(arguments: StoreKind.underTest) func clientMessageIDsAreRecognisedAfterARestart(_ kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { database in
            var chat = PersistedEngine(engine: ChatEngine(), store: try await database.open())
            let alice = try #require(try await chat.run(.register(username: "alice")).user)
            try await chat.run(.createPublicRoom(by: alice.id, name: "lobby"))
            let stored = try #require(try await chat.run(.send(by: alice.id, room: RoomID(1), text: "hi", clientMessageID: "retry-me")).sent)
            for index in 0..<5 { try await chat.run(.send(by: alice.id, room: RoomID(1), text: "filler \(index)")) }

            let reopened = try await database.open()
            // Out of the engine's window of 2, but the store still knows the id.
            let restored = try ChatEngine(configuration: ChatConfiguration(recentMessagesPerRoom: 2), restoring: try await reopened.recover(window: 2))
            #expect(restored.lastSeq(of: RoomID(1)) == 6)
            #expect(try await reopened.message(from: alice.id, clientMessageID: "retry-me") == stored)
            #expect(try await reopened.message(from: alice.id, clientMessageID: "unknown") == nil)
        }
    }

    @Test(arguments: StoreKind.underTest) func credentialsAndTokensSurviveARestart(_ kind: StoreKind) async throws {
        try await TestDatabase.with(kind) { database in
            let store = try await database.open()
            let alice = User(id: UserID(1), username: "Alice", registeredAt: .zero)
            let token = AuthToken(hash: [1, 2, 3], user: alice.id, issuedAt: .zero, expiresAt: Instant(milliseconds: 1_000))
            try await store.append([.fact(.userRegistered(alice)), .passwordHash(alice.id, "$2b$12$hash"), .tokenIssued(token)])
            try await store.append([.tokenRevoked(hash: [1, 2, 3], at: Instant(milliseconds: 500))])

            let reopened = try await database.open()
            #expect(try await reopened.passwordHash(of: alice.id) == "$2b$12$hash")
            let revoked = try await reopened.authToken(hash: [1, 2, 3])
            #expect(revoked?.revokedAt == Instant(milliseconds: 500))
            #expect(revoked?.isValid(at: Instant(milliseconds: 400)) == false)
            #expect(try await reopened.authToken(hash: [9]) == nil)
            #expect(try await reopened.recover(window: 1) == [.userRegistered(alice)])
        }
    }

    @Test func anInMemoryStoreWorks() async throws {
        let store = try SQLiteChatStore(path: ":memory:")
        let alice = User(id: UserID(1), username: "alice", registeredAt: .zero)
        try await store.append([.fact(.userRegistered(alice))])
        #expect(try await store.recover(window: 5) == [.userRegistered(alice)])
    }
}
