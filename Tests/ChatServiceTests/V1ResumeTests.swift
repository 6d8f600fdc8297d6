import ChatEngine
import ChatProtocol
@testable import ChatService
import ChatTestSupport
import Testing

@Suite struct V1ResumeTests {
    /// A reader that drops its socket and resumes again and again while messages keep coming
    /// sees every message exactly once, in order: a recovered replay (from the store, since the
    /// engine's window is 4 messages) and the live messages meet with no gap and no duplicate, and
    /// an unrecovered one (the window moved on faster than the store could be read, four times:
    /// possible on a busy machine with so small a window) says so, so the reader refills the gap
    /// from history as a client does. Never a silent gap.
    @Test func resumingWhileMessagesArriveMissesNothingAndRepeatsNothing() async throws {
        let h = try await V1Harness(recentMessagesPerRoom: 4)
        let alice = try await h.user("alice")
        let bob = try await h.user("bob")
        let lobby = try await h.service.createRoom(by: alice.id, CreateRoomRequest(name: "lobby", kind: "public"))
        let total = 400

        let first = try #require(await h.connect(bob.token))
        await h.send(first, #"{"type":"subscribe","room":\#(lobby.id)}"#)
        let subscribed = h.frames(first.session).last
        let epoch = try #require(subscribed?["epoch"] as? String)
        #expect(subscribed?["recovered"] as? Bool == false && (subscribed?["messages"] as? [Any])?.isEmpty == true)
        await first.close()

        let service = h.service
        let sender = Task {
            for index in 1...total {
                _ = try await service.send(by: alice.id, SendMessageRequest(roomID: lobby.id, message: "m\(index)"))
                if index % 8 == 0 { try await Task.sleep(for: .milliseconds(1)) }
            }
        }
        var seen: [Int] = []
        var resumes = 0
        var recovered = 0
        while seen.count < total, resumes < 10_000 {
            let socket = try #require(await h.connect(bob.token))
            await h.send(socket, #"{"type":"subscribe","room":\#(lobby.id),"after_seq":\#(seen.last ?? 0),"epoch":"\#(epoch)"}"#)
            try await Task.sleep(for: .milliseconds(2))
            await h.service.settle()
            let frames = h.frames(socket.session)
            await socket.close()
            h.outbox.close(socket.session)
            resumes += 1
            #expect(frames.first?["type"] as? String == "hello")
            let answer = try #require(frames.dropFirst().first)
            #expect(answer["type"] as? String == "subscribed", "\(answer)")
            let replayed = (answer["messages"] as? [[String: Any]] ?? []).compactMap { $0["seq"] as? Int }
            let live = frames.dropFirst(2).compactMap { ($0["message"] as? [String: Any])?["seq"] as? Int }
            if answer["recovered"] as? Bool == true {
                recovered += 1
            } else if let first = replayed.first, first > (seen.last ?? 0) + 1 {
                let after = Int64(seen.last ?? 0)
                let gap = try await h.service.store.messages(in: RoomID(lobby.id), after: after, limit: first - Int(after) - 1, includingDeleted: true)
                seen += gap.map { Int($0.seq) }
            }
            seen += replayed.drop { $0 <= seen.last ?? 0 } + live
        }
        try await sender.value
        #expect(seen == Array(1...total), "resumed \(resumes) times, \(recovered) recovered")
        #expect(resumes > 3)
        #expect(recovered > 0)
    }

    @Test func tooManyMissedOrAnotherEpochGiveTheLatestPageUnrecovered() async throws {
        let h = try await V1Harness(recentMessagesPerRoom: 4)
        let alice = try await h.user("alice")
        let lobby = try await h.service.createRoom(by: alice.id, CreateRoomRequest(name: "lobby", kind: "public"))
        for index in 1...(V1Socket.maxReplayedMessages + 2) {
            _ = try await h.service.send(by: alice.id, SendMessageRequest(roomID: lobby.id, message: "m\(index)"))
        }
        let socket = try #require(await h.connect(alice.token))
        let subscribes = [
            #"{"id":1,"type":"subscribe","room":\#(lobby.id),"after_seq":1,"epoch":"\#(h.service.epoch)"}"#,  // 1 001 missed
            #"{"id":2,"type":"subscribe","room":\#(lobby.id),"after_seq":1000,"epoch":"another"}"#,
            #"{"id":3,"type":"subscribe","room":\#(lobby.id),"after_seq":5000,"epoch":"\#(h.service.epoch)"}"#,  // past the last seq
            #"{"id":4,"type":"subscribe","room":\#(lobby.id),"after_seq":2,"epoch":"\#(h.service.epoch)"}"#,  // exactly 1 000 missed
        ]
        _ = h.frames(socket.session)
        for (index, frame) in subscribes.enumerated() {
            await h.send(socket, frame)
            await h.send(socket, #"{"type":"unsubscribe","room":\#(lobby.id)}"#)
            let answer = try #require(h.frames(socket.session).first)
            #expect(answer["id"] as? Int == index + 1)
            #expect(answer["last_seq"] as? Int == 1_002)
            let seqs = (answer["messages"] as? [[String: Any]] ?? []).compactMap { $0["seq"] as? Int }
            if index == 3 {
                #expect(answer["recovered"] as? Bool == true)
                #expect(seqs == Array(3...1_002))
            } else {
                #expect(answer["recovered"] as? Bool == false, "\(frame)")
                // The latest page: what the engine's window holds (4 here; 50 with the default window).
                #expect(seqs == Array(999...1_002), "\(frame)")
            }
        }
    }
}

/// The answer a subscribe builds under the engine's lock, from the engine's window and what the
/// store gave before.
@Suite struct V1SubscribedAnswerTests {
    /// An engine whose window holds seqs 7 … 10 of room 1, and the ten messages as stored.
    private func engine() throws -> (ChatEngine, [Message]) {
        var engine = ChatEngine(configuration: ChatConfiguration(recentMessagesPerRoom: 4))
        _ = engine.handle(.register(username: "alice"), at: .zero)
        _ = engine.handle(.createPublicRoom(by: UserID(1), name: "lobby"), at: .zero)
        let sent = try (1...10).map { index in try #require(engine.handle(.send(by: UserID(1), room: RoomID(1), text: "m\(index)"), at: .zero).sent) }
        return (engine, sent)
    }

    private func answer(_ engine: ChatEngine, older: [Message], mayDecline: Bool) -> (recovered: Bool, seqs: [Int64])? {
        guard case .subscribed(_, _, _, _, _, let recovered, let messages)? = V1Socket.subscribed(
            nil, room: RoomID(1), user: UserID(1), epoch: "e", resume: 2, older: older, mayDecline: mayDecline, in: engine
        ) else { return nil }
        return (recovered, messages.map(\.message.seq))
    }

    @Test func theStoresMessagesAndTheWindowMakeACompleteReplay() throws {
        let (engine, sent) = try engine()
        let replay = answer(engine, older: Array(sent[2...5]), mayDecline: true)
        #expect(replay?.recovered == true && replay?.seqs == Array(3...10))
    }

    @Test func aGapBetweenThemIsDeclinedOrAnsweredUnrecovered() throws {
        let (engine, sent) = try engine()
        // The store was read when the window still began at 6: seq 6 is in neither.
        #expect(answer(engine, older: Array(sent[2...4]), mayDecline: true) == nil)
        let last = answer(engine, older: Array(sent[2...4]), mayDecline: false)
        #expect(last?.recovered == false && last?.seqs == Array(7...10))
    }
}
