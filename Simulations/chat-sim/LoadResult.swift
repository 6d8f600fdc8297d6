/// The raw figures of one `chat-sim load` run, filled phase by phase.
struct LoadResult {
    var fileLimit = LoadProcessStats.FileLimit(softBefore: 0, soft: 0, hard: 0)
    var loginSeconds = 0.0
    var connectSeconds = 0.0
    var connectFailures = 0
    var firstConnectError: String?
    var allSubscribed = false
    var subscribeSeconds = 0.0
    var openAfterHold = 0
    /// Server VmRSS (KiB) before the sockets, once they are subscribed and idle, after the hold, after the load.
    var serverRSSBefore: Int?
    var serverRSSIdle: Int?
    var serverRSSAfterHold: Int?
    var serverRSSAfterLoad: Int?
    var serverThreads: Int?
    /// The load's own VmRSS (KiB) at the same points.
    var clientRSSBefore: Int?
    var clientRSSIdle: Int?
    var clientRSSAfterLoad: Int?
    /// CPU seconds of the server and of the load around the sending window.
    var serverCPUBefore: Double?
    var serverCPUAfter: Double?
    var clientCPUBefore: Double?
    var clientCPUAfter: Double?
    /// Busy CPU seconds of the whole machine around the sending window.
    var machineCPUBefore: Double?
    var machineCPUAfter: Double?
    /// Clock readings (ns since the load's origin).
    var sendStartedAt: UInt64 = 0
    var sendStoppedAt: UInt64 = 0
    var drainedAt: UInt64 = 0
    var outstandingAfterDrain = 0
    /// Measurements and checks merged over every loop.
    var figures = LoadLoopSnapshot(stats: LoadLoopStats.Snapshot())

    /// Deliveries per second, from the start of sending to the last delivery.
    var deliveriesPerSecond: Double {
        Double(figures.stats.deliveries) / (Double(max(figures.stats.lastDeliveryAt, sendStartedAt + 1) - sendStartedAt) / 1e9)
    }

    /// Acknowledged messages per second, from the start of sending to the last acknowledgement.
    var messagesPerSecond: Double {
        Double(figures.stats.acknowledged) / (Double(max(figures.stats.lastAcknowledgementAt, sendStartedAt + 1) - sendStartedAt) / 1e9)
    }

    /// Messages sent but never acknowledged.
    var unacknowledged: Int { figures.stats.sent - figures.stats.acknowledged }

    /// Whether every socket opened and stayed open, and every message arrived exactly once,
    /// consistently, everywhere.
    var passed: Bool {
        connectFailures == 0 && allSubscribed && figures.stats.unexpectedCloses == 0 && figures.lost == 0 && figures.undelivered == 0 && figures.duplicated == 0
            && figures.idMismatches == 0 && figures.idRegressions == 0 && figures.ownOutOfOrder == 0 && figures.wrongRoom == 0 && unacknowledged == 0
            && figures.roomsWithUnacknowledgedSeqs == 0 && figures.stats.errorFrames == 0 && figures.stats.unreadableFrames == 0
    }
}
