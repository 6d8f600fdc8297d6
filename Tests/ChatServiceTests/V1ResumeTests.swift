import ChatEngine
import ChatProtocol
import ChatService
import Testing

@Suite struct V1ResumeTests {
    /// A reader that drops its socket and resumes again and again while messages keep coming
    /// sees every message exactly once, in order: the replay (from the store, since the engine's
    /// window is 4 messages) and the live messages meet with no gap and no duplicate.
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
            #expect(answer["type"] as? String == "subscribed" && answer["recovered"] as? Bool == true, "\(answer)")
            let replayed = (answer["messages"] as? [[String: Any]] ?? []).compactMap { $0["seq"] as? Int }
            let live = frames.dropFirst(2).compactMap { ($0["message"] as? [String: Any])?["seq"] as? Int }
            seen += replayed + live
        }
        try await sender.value
        #expect(seen == Array(1...total), "resumed \(resumes) times")
        #expect(resumes > 3)
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
