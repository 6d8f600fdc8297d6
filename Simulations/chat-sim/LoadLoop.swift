import NIOCore

/// One event loop's share of the load, touched only on that loop: its rooms (each room's
/// sockets on this loop, with their own accounting, so none of it needs a lock; a room spread
/// over several loops is merged after the run), its senders, its measurements, and the pacing
/// of its senders.
///
/// Pacing: with a target rate, a 1 ms repeating task sends however many messages this loop's
/// share of the rate says are due, round-robin over its senders, without waiting for
/// acknowledgements. With rate 0, every sender starts with `window` messages in flight and, at
/// the end of each read burst that brought some of its own frames back, sends as many again.
///
/// The load's per-frame state — here, in ``LoadSocketHandler``, ``LoadRoomState`` and
/// ``LoadLoopStats`` — is marked `@exclusivity(unchecked)`: it is only touched on its own event
/// loop, and the run-time exclusivity checks on it were the largest item of the load's own
/// profile (about 18 % of its CPU at 200 sockets in one room).
final class LoadLoop {
    let eventLoop: any EventLoop
    let clock: LoadClock
    let budget: LoadBudget
    let stats = LoadLoopStats()
    /// This loop's rooms (its sockets' share of each), in the run's room order.
    private(set) var rooms: [LoadRoomState] = []
    /// This loop's sending sockets.
    private(set) var senders: [LoadSocketHandler] = []
    /// Whether senders send again on acknowledgement (rate 0).
    @exclusivity(unchecked) private(set) var isAcknowledgementPaced = false
    /// With acknowledgement pacing, the messages each sender keeps in flight.
    @exclusivity(unchecked) private(set) var window = 1
    @exclusivity(unchecked) private var isSending = false
    @exclusivity(unchecked) private var stopAt: UInt64 = .max
    private var pacer: Scheduled<Void>?
    private var nextSender = 0
    /// The rate pacer's start (ns), messages sent so far, and rate per nanosecond.
    private var pacedFrom: UInt64 = 0
    private var paced = 0
    private var perNanosecond = 0.0

    init(eventLoop: any EventLoop, clock: LoadClock, budget: LoadBudget) {
        self.eventLoop = eventLoop
        self.clock = clock
        self.budget = budget
    }

    /// Adds a room owned by this loop.
    func addRoom(_ room: LoadRoomState) {
        rooms.append(room)
    }

    /// The room with run index `index`, which must be on this loop.
    func room(_ index: Int) -> LoadRoomState {
        rooms.first { $0.index == index }!
    }

    /// Registers a socket of one of this loop's rooms.
    func add(_ socket: LoadSocketHandler) {
        socket.room.members.append(socket)
        if socket.sender != nil { senders.append(socket) }
    }

    /// Sets each room's id and baseline seq (by run index) and starts counting from there. Every
    /// loop does this before any loop sends: a room's senders may be on another loop.
    func prepare(roomIDs: [Int: Int], baselines: [Int: Int]) {
        for room in rooms {
            room.id = roomIDs[room.index] ?? 0
            room.start(baseline: baselines[room.index] ?? 0)
        }
        stats.resetMeasurements()
    }

    /// Starts sending: `rate` messages per second for this loop (0: acknowledgement-paced,
    /// `window` messages in flight per sender) until `stopAt` or the budget is spent.
    func start(rate: Double, window: Int, stopAt: UInt64) {
        self.stopAt = stopAt
        isSending = true
        guard !senders.isEmpty else { return }
        if rate <= 0 {
            isAcknowledgementPaced = true
            self.window = window
            for sender in senders { sender.fillWindow() }
            return
        }
        pacedFrom = clock.nanoseconds()
        paced = 0
        perNanosecond = rate / 1e9
        tick()
    }

    /// One step of the rate pacer: sends the messages due by now, then comes back in 1 ms.
    private func tick() {
        let now = clock.nanoseconds()
        guard isSending, now < stopAt else {
            isSending = false
            return
        }
        let due = Int(Double(now - pacedFrom) * perNanosecond) - paced
        var skipped = 0
        for _ in 0..<max(due, 0) {
            guard budget.claim() else {
                isSending = false
                return
            }
            paced += 1
            while skipped < senders.count {
                let sender = senders[nextSender]
                nextSender = (nextSender + 1) % senders.count
                if sender.sendNext(now: now) { break }
                skipped += 1
            }
        }
        pacer = eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(1)) { self.tick() }
    }

    /// Whether a sender may send one more message now; if so, it is taken from the budget.
    @inline(__always)
    func claimSend(now: UInt64) -> Bool {
        guard isSending, now < stopAt, budget.claim() else {
            isSending = false
            return false
        }
        return true
    }

    /// Stops sending (acknowledgements still count).
    func stop() {
        isSending = false
        pacer?.cancel()
        pacer = nil
    }

    /// Whether this loop has stopped sending.
    var hasStopped: Bool { !isSending }

    /// The highest seq this loop's sockets received in each of its rooms, by run index.
    var highestSeqs: [Int: Int] {
        Dictionary(uniqueKeysWithValues: rooms.map { ($0.index, $0.highestSeq) })
    }

    /// Deliveries and acknowledgements this loop still waits for, given the highest seq each
    /// room had reached on any loop when last asked (by run index).
    func outstanding(reaching highest: [Int: Int]) -> Int {
        rooms.reduce(0) { $0 + $1.outstanding(roomHighest: reached(highest, in: $1)) }
    }

    /// The highest seq `room` reached: on any loop when last asked (`highest`), or here since.
    private func reached(_ highest: [Int: Int], in room: LoadRoomState) -> Int {
        max(highest[room.index] ?? 0, room.highestSeq)
    }

    /// This loop's share of each of its rooms' accounting, by run index.
    var tallies: [Int: LoadRoomTally] {
        Dictionary(uniqueKeysWithValues: rooms.map { ($0.index, $0.tally) })
    }

    /// The sockets of this loop that are open.
    var openSockets: Int { rooms.reduce(0) { $0 + $1.members.count { !$0.isClosed } } }

    /// Closes every socket on the load's behalf.
    func closeAll() {
        for room in rooms { for member in room.members { member.close() } }
    }

    /// This loop's measurements and per-socket checks, to leave the loop, given the highest
    /// seq each room had reached on any loop when last asked (by run index). Whether each
    /// room's seqs were all acknowledged is for the merged tallies to tell (``LoadRoomTally``).
    func snapshot(reaching highest: [Int: Int]) -> LoadLoopSnapshot {
        var snapshot = LoadLoopSnapshot(stats: stats.snapshot)
        for room in rooms {
            snapshot.idMismatches += room.idMismatches
            snapshot.wrongRoom += room.wrongRoom
            snapshot.roomSent += room.sent
            snapshot.roomAcknowledged += room.acknowledged
            // Every socket of a room must receive every seq the room reached, exactly once.
            let roomHighest = reached(highest, in: room)
            let expected = roomHighest - room.baseline
            for member in room.members {
                snapshot.sockets += 1
                if member.isClosed { snapshot.closedSockets += 1 }
                snapshot.lost += member.gaps
                snapshot.undelivered += roomHighest - member.lastSeq
                snapshot.duplicated += member.duplicates
                snapshot.idRegressions += member.idRegressions
                snapshot.ownOutOfOrder += member.ownOutOfOrder
                snapshot.expectedDeliveries += expected
                snapshot.checkedDeliveries += member.received
            }
        }
        return snapshot
    }
}

/// One loop's figures after the run, Sendable so they can be merged on the caller's task.
struct LoadLoopSnapshot: Sendable {
    var stats: LoadLoopStats.Snapshot
    var sockets = 0
    var closedSockets = 0
    /// Seqs a socket skipped: a later one arrived, this one never will.
    var lost = 0
    /// Seqs a socket had not reached when the drain ended (still queued, or lost).
    var undelivered = 0
    var duplicated = 0
    var idMismatches = 0
    var idRegressions = 0
    /// A sender's own messages that came back in another order than it sent them.
    var ownOutOfOrder = 0
    var wrongRoom = 0
    var roomSent = 0
    var roomAcknowledged = 0
    var roomsWithUnacknowledgedSeqs = 0
    var expectedDeliveries = 0
    var checkedDeliveries = 0

    /// Adds another loop's figures.
    mutating func merge(_ other: LoadLoopSnapshot) {
        stats.merge(other.stats)
        sockets += other.sockets
        closedSockets += other.closedSockets
        lost += other.lost
        undelivered += other.undelivered
        duplicated += other.duplicated
        idMismatches += other.idMismatches
        idRegressions += other.idRegressions
        ownOutOfOrder += other.ownOutOfOrder
        wrongRoom += other.wrongRoom
        roomSent += other.roomSent
        roomAcknowledged += other.roomAcknowledged
        roomsWithUnacknowledgedSeqs += other.roomsWithUnacknowledgedSeqs
        expectedDeliveries += other.expectedDeliveries
        checkedDeliveries += other.checkedDeliveries
    }
}
