import Histogram

/// One event loop's measurements, touched only on that loop (so recording costs no lock), and
/// merged across loops at the end through ``Snapshot``. Fields read and write straight through
/// to the snapshot (`stats.deliveries += 1`), in place.
///
/// Its per-frame state is marked `@exclusivity(unchecked)`, as ``LoadLoop`` explains.
@dynamicMemberLookup
final class LoadLoopStats {
    /// The figures so far.
    @exclusivity(unchecked) private(set) var snapshot = Snapshot()

    subscript<Value>(dynamicMember keyPath: WritableKeyPath<Snapshot, Value>) -> Value {
        get { snapshot[keyPath: keyPath] }
        _modify { yield &snapshot[keyPath: keyPath] }
    }

    /// A histogram of microseconds from 1 µs to 10 minutes, three significant digits.
    static func makeHistogram() -> Histogram<UInt64> {
        Histogram(lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
    }

    /// Records a latency of `nanoseconds` into `histogram`.
    @inline(__always)
    static func record(_ nanoseconds: UInt64, into histogram: inout Histogram<UInt64>) {
        _ = histogram.record(Swift.min(Swift.max(nanoseconds / 1_000, 1), 600_000_000))
    }

    /// The figures: recorded in place on the loop, copied out (Sendable) to merge and report.
    struct Snapshot: Sendable {
        /// Send → delivery latency at every receiving socket, in microseconds.
        var delivery = LoadLoopStats.makeHistogram()
        /// Send → acknowledgement latency (the sender's own frame back), in microseconds.
        var acknowledgement = LoadLoopStats.makeHistogram()
        /// Send → delivery latency where sender and receiver are on different nodes, in microseconds.
        var crossNodeDelivery = LoadLoopStats.makeHistogram()
        /// Message frames received, by every socket.
        var deliveries = 0
        /// Messages written by this loop's senders.
        var sent = 0
        /// Messages whose frame came back to their sender.
        var acknowledged = 0
        /// When the last message frame arrived (ns since the clock origin).
        var lastDeliveryAt: UInt64 = 0
        /// When the last acknowledgement arrived (ns since the clock origin).
        var lastAcknowledgementAt: UInt64 = 0
        /// `{"type":"error"}` frames received.
        var errorFrames = 0
        /// The first error frame's text, for the report.
        var firstErrorFrame: String?
        /// Frames the fast path could not read.
        var unreadableFrames = 0
        /// Sockets that closed while the load still wanted them.
        var unexpectedCloses = 0
        /// Close codes sent by the server, with how often.
        var closeCodes: [Int: Int] = [:]

        /// Adds another loop's figures to these.
        mutating func merge(_ other: Snapshot) {
            delivery.add(other.delivery)
            acknowledgement.add(other.acknowledgement)
            crossNodeDelivery.add(other.crossNodeDelivery)
            deliveries += other.deliveries
            sent += other.sent
            acknowledged += other.acknowledged
            lastDeliveryAt = max(lastDeliveryAt, other.lastDeliveryAt)
            lastAcknowledgementAt = max(lastAcknowledgementAt, other.lastAcknowledgementAt)
            errorFrames += other.errorFrames
            firstErrorFrame = firstErrorFrame ?? other.firstErrorFrame
            unreadableFrames += other.unreadableFrames
            unexpectedCloses += other.unexpectedCloses
            closeCodes.merge(other.closeCodes, uniquingKeysWith: +)
        }
    }

    /// Forgets latencies and counts recorded so far (after the warm-up of connecting).
    func resetMeasurements() {
        snapshot.delivery.reset()
        snapshot.acknowledgement.reset()
        snapshot.crossNodeDelivery.reset()
        snapshot.deliveries = 0
    }
}
