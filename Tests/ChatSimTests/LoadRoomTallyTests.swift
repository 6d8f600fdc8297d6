@testable import chat_sim
import NIOEmbedded
import Testing

/// A room whose sockets are spread over several of the load's event loops is checked as one
/// room: its loops' tallies merge into the room's figures, and copies of one seq read on
/// different loops are held to the same id.
@Suite struct LoadRoomTallyTests {
    @Test func loopsAgreeingMergeIntoTheRoomsFigures() {
        var room = LoadRoomTally(baseline: 10, highestSeq: 13, sent: 3, acknowledged: 3, idBySeq: [101, 102, 103])
        room.merge(LoadRoomTally(baseline: 10, highestSeq: 14, sent: 1, acknowledged: 1, idBySeq: [101, 0, 103, 104]))
        #expect(room == LoadRoomTally(baseline: 10, highestSeq: 14, sent: 4, acknowledged: 4, idBySeq: [101, 102, 103, 104]))
        #expect(room.isFullyAcknowledged)
    }

    @Test func aSeqWithAnotherIdOnAnotherLoopIsAMismatch() {
        var room = LoadRoomTally(baseline: 0, highestSeq: 2, sent: 2, acknowledged: 2, idBySeq: [7, 8])
        room.merge(LoadRoomTally(baseline: 0, highestSeq: 2, sent: 0, acknowledged: 0, idBySeq: [7, 9]))
        #expect(room.idMismatches == 1)
        #expect(room.idBySeq == [7, 8])
    }

    @Test func seqsTheRoomReachedButNoSenderSawBackAreUnacknowledged() {
        var room = LoadRoomTally(baseline: 5, highestSeq: 7, sent: 2, acknowledged: 2, idBySeq: [1, 2])
        room.merge(LoadRoomTally(baseline: 5, highestSeq: 8, sent: 0, acknowledged: 0, idBySeq: [1, 2, 3]))
        #expect(!room.isFullyAcknowledged)
    }

    @Test func aLoopThatReadFurtherSinceTheRoomWasAskedCountsWhatItRead() {
        // The run asks every loop for its rooms' highest seqs, then for what each still waits
        // for; a loop may have read further in between. Its sockets are not "ahead" of the room.
        let eventLoop = EmbeddedEventLoop()
        let loop = LoadLoop(eventLoop: eventLoop, clock: LoadClock(), budget: LoadBudget(messages: nil))
        let room = LoadRoomState(index: 0, name: "r-0")
        loop.addRoom(room)
        let opened = (1...3).map { _ in eventLoop.makePromise(of: Void.self) }
        defer { for promise in opened { promise.succeed() } }
        for (seed, promise) in opened.enumerated() {
            loop.add(LoadSocketHandler(
                loop: loop, room: room, sender: nil, seed: UInt64(seed), node: (index: 0, count: 1), opened: promise
            ))
        }
        loop.prepare(roomIDs: [0: 7], baselines: [0: 12])
        #expect(loop.outstanding(reaching: [0: 5]) == 0)
        #expect(loop.snapshot(reaching: [0: 5]).undelivered == 0)
        // A room that went further on another loop: every socket here still waits for 3 seqs.
        #expect(loop.outstanding(reaching: [0: 15]) == 9)
        #expect(loop.snapshot(reaching: [0: 15]).undelivered == 9)
    }

    @Test func fewerRoomsThanLoopsSpreadEachRoomOverEveryLoop() {
        func plan(rooms: Int, threads: Int) -> LoadPlan {
            LoadPlan(
                target: try! LoadTarget(url: "http://127.0.0.1:1"), serverPID: nil, sockets: 12, rooms: rooms, sendersPerRoom: 1,
                users: 12, rate: 0, window: 1, duration: 1, messages: nil, hold: 0, settle: 0, drain: 0, threads: threads,
                connectConcurrency: 1, roomPrefix: "r", userPrefix: "u", password: "p"
            )
        }
        // As many rooms as loops or more: a room's sockets share its loop.
        let together = plan(rooms: 4, threads: 2)
        for socket in 0..<12 { #expect(together.loop(ofSocket: socket) == together.room(ofSocket: socket) % 2) }
        // Fewer: every room has sockets on every loop.
        let spread = plan(rooms: 2, threads: 4)
        for room in 0..<2 {
            let loops = Set((0..<12).filter { spread.room(ofSocket: $0) == room }.map(spread.loop(ofSocket:)))
            #expect(loops == [0, 1, 2, 3])
        }
        // The rooms' first senders start on different loops.
        #expect(spread.loop(ofSocket: 0) != spread.loop(ofSocket: 1))
        let one = plan(rooms: 1, threads: 3)
        #expect(Set((0..<12).map(one.loop(ofSocket:))) == [0, 1, 2])
    }
}
