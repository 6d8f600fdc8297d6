import ChatEngine
import ChatProtocol
@testable import chat_sim
import Foundation
import Testing

/// The ceiling server speaks chat-server's seed surface closely enough for `chat-sim load` to
/// run its whole plan against it (REST setup, sockets, windowed sending, every check), and its
/// message frames are chat-server's byte for byte but for the timestamp.
@Suite struct CeilingServerTests {
    /// Starts a ceiling server in this process on a free port.
    private static func start() async throws -> LoadTarget {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        Task.detached { try await CeilingServer(host: "127.0.0.1", port: 0, threads: 2).run { continuation.yield($0) } }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        return try LoadTarget(url: "http://127.0.0.1:\(port)")
    }

    /// A plan against a fresh ceiling server: one user per socket, 8 messages in flight per
    /// sender, `messages` in all, on two load threads.
    private static func windowedPlan(sockets: Int, rooms: Int, sendersPerRoom: Int, messages: Int, prefix: String) async throws -> LoadPlan {
        LoadPlan(
            target: try await start(), serverPID: nil, sockets: sockets, rooms: rooms, sendersPerRoom: sendersPerRoom, users: sockets,
            rate: 0, window: 8, duration: 30, messages: messages, hold: 0, settle: 0, drain: 10, threads: 2,
            connectConcurrency: sockets, roomPrefix: prefix, userPrefix: prefix, password: "password1"
        )
    }

    @Test func aWindowedLoadRunsAgainstItWithEveryCheckPassing() async throws {
        let plan = try await Self.windowedPlan(sockets: 12, rooms: 3, sendersPerRoom: 2, messages: 600, prefix: "c")
        let result = try await LoadRun(plan: plan).run()
        #expect(result.passed)
        #expect(result.figures.stats.acknowledged == 600)
        // Each message reaches the room's 4 sockets.
        #expect(result.figures.checkedDeliveries == 2_400)
        #expect(result.figures.expectedDeliveries == 2_400)
    }

    @Test func oneRoomSpreadOverTwoLoopsIsCheckedAsOneRoom() async throws {
        let plan = try await Self.windowedPlan(sockets: 9, rooms: 1, sendersPerRoom: 2, messages: 400, prefix: "spread")
        #expect(Set((0..<9).map(plan.loop(ofSocket:))) == [0, 1])
        let result = try await LoadRun(plan: plan).run()
        #expect(result.passed)
        #expect(result.figures.stats.acknowledged == 400)
        #expect(result.figures.roomsWithUnacknowledgedSeqs == 0)
        // Each message reaches all 9 sockets, on both loops.
        #expect(result.figures.checkedDeliveries == 3_600)
        #expect(result.figures.expectedDeliveries == 3_600)
    }

    @Test func itsMessageFrameIsChatServersByteForByte() {
        let sentAt = Instant(milliseconds: 1_764_590_497_137)
        let message = Message(
            id: MessageID(5), room: RoomID(2), seq: 3, sender: UserID(1),
            text: "t=1 s=2 k=3", clientMessageID: nil, sentAt: sentAt
        )
        let server = ServerFrame.encodedMessage(message, username: "load7", roomName: "load-2")
        let ceiling = CeilingFrame.message(
            id: 5, roomID: 2, roomName: "load-2", seq: 3, username: "load7", text: ArraySlice(#""t=1 s=2 k=3""#.utf8),
            timestamp: CeilingTimestamp.format(seconds: 1_764_590_497, milliseconds: 137), allocator: .init()
        )
        #expect(Array(ceiling.readableBytesView) == Array(server))
    }
}
