/// One room's accounting merged over the event loops its sockets are spread over: messages
/// sent to it and acknowledged, the highest seq any of its sockets received, and the id each
/// seq carried when first seen, so that copies of one seq read on different loops are checked
/// against each other too.
struct LoadRoomTally: Sendable, Equatable {
    /// The room's last seq before the load started sending.
    var baseline: Int
    var highestSeq: Int
    var sent: Int
    var acknowledged: Int
    /// The id first seen for each seq after the baseline (0: not seen).
    var idBySeq: [Int]
    /// Seqs whose copies on different loops carried different ids (each loop counts its own).
    var idMismatches = 0

    /// Adds another loop's share of the same room.
    mutating func merge(_ other: LoadRoomTally) {
        highestSeq = max(highestSeq, other.highestSeq)
        sent += other.sent
        acknowledged += other.acknowledged
        idMismatches += other.idMismatches
        if other.idBySeq.count > idBySeq.count {
            idBySeq.append(contentsOf: repeatElement(0, count: other.idBySeq.count - idBySeq.count))
        }
        for (slot, id) in other.idBySeq.enumerated() where id != 0 {
            if idBySeq[slot] == 0 {
                idBySeq[slot] = id
            } else if idBySeq[slot] != id {
                idMismatches += 1
            }
        }
    }

    /// Whether every seq the room reached came back to the sender that sent it.
    var isFullyAcknowledged: Bool { acknowledged == highestSeq - baseline }
}
