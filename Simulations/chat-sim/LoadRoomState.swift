/// One room's sockets on one event loop, touched only on that loop: what was sent to the room
/// from here and acknowledged, and the id each seq carried when it was first seen here (every
/// later copy must carry the same id). A room whose sockets are spread over several loops has
/// one of these on each; their ``tally`` values are merged after the run (``LoadRoomTally``).
///
/// Its per-frame state is marked `@exclusivity(unchecked)`, as ``LoadLoop`` explains.
final class LoadRoomState {
    /// The room's index in the run (its name is derived from it).
    let index: Int
    /// The room's name, as in `/ws/chat/<name>/`.
    let name: String
    /// The room's sockets on this loop.
    var members: [LoadSocketHandler] = []
    /// The room's id, from `GET /api/rooms`.
    var id = 0
    /// The room's last seq before the load started sending.
    var baseline = 0
    /// Whether sending has started (frames before that are not the load's).
    @exclusivity(unchecked) var started = false
    /// Messages written to the room by its senders on this loop.
    @exclusivity(unchecked) var sent = 0
    /// Messages whose frame came back to their sender.
    @exclusivity(unchecked) var acknowledged = 0
    /// The highest seq any of the room's sockets on this loop received.
    @exclusivity(unchecked) var highestSeq = 0
    /// The id first seen for each seq after the baseline (0: not seen yet).
    @exclusivity(unchecked) private var idBySeq: [Int] = []
    /// Copies of a seq that carried another id than its first copy.
    @exclusivity(unchecked) var idMismatches = 0
    /// Message frames whose `room_id` is not this room's.
    @exclusivity(unchecked) var wrongRoom = 0

    init(index: Int, name: String) {
        self.index = index
        self.name = name
    }

    /// Starts the room's accounting from `baseline`, its last seq before the load.
    func start(baseline: Int) {
        self.baseline = baseline
        highestSeq = baseline
        started = true
        for member in members { member.startChecking(after: baseline) }
    }

    /// Checks that a copy of `seq` carries the same `id` as the first copy seen.
    @inline(__always)
    func check(seq: Int, id: Int, roomID: Int) {
        if roomID != self.id { wrongRoom += 1 }
        if seq > highestSeq { highestSeq = seq }
        let slot = seq - baseline - 1
        guard slot >= 0 else { return }
        if slot >= idBySeq.count { idBySeq.append(contentsOf: repeatElement(0, count: slot - idBySeq.count + 1)) }
        if idBySeq[slot] == 0 {
            idBySeq[slot] = id
        } else if idBySeq[slot] != id {
            idMismatches += 1
        }
    }

    /// Deliveries this loop still expects when the room has reached `roomHighest` (the highest
    /// seq any of its sockets received, on any loop): unacknowledged messages plus seqs some
    /// socket here has not reached.
    func outstanding(roomHighest: Int) -> Int {
        var missing = sent - acknowledged
        for member in members where !member.isClosed { missing += roomHighest - member.lastSeq }
        return missing
    }

    /// This loop's share of the room's accounting, to be merged with the other loops'.
    var tally: LoadRoomTally {
        LoadRoomTally(baseline: baseline, highestSeq: highestSeq, sent: sent, acknowledged: acknowledged, idBySeq: idBySeq)
    }
}
