import ChatEngine
import Synchronization

/// The open sockets by engine session, and the fan-out of rendered deliveries to them.
final class ConnectionRegistry: Sendable {
    private let connections = Mutex<[SessionID: SocketConnection]>([:])
    private let lastSession = Atomic<Int64>(0)
    private let metrics: ServerMetrics

    init(metrics: ServerMetrics) {
        self.metrics = metrics
    }

    /// A session id no socket has had in this process.
    func nextSessionID() -> SessionID {
        SessionID(lastSession.add(1, ordering: .relaxed).newValue)
    }

    func add(_ connection: SocketConnection) {
        connections.withLock { $0[connection.session] = connection }
        metrics.openSockets.increment()
    }

    func remove(_ session: SessionID) {
        let removed = connections.withLock { $0.removeValue(forKey: session) }
        if let removed {
            removed.finish()
            metrics.openSockets.decrement()
        }
    }

    /// How many sockets are open.
    var count: Int { connections.withLock { $0.count } }

    /// Hands each delivery's frame, encoded once, to its recipients' queues without waiting on
    /// any socket; then each event loop drains its sockets in one go.
    func deliver(_ deliveries: [RenderedDelivery]) {
        guard !deliveries.isEmpty else { return }
        let items = deliveries.map { delivery -> SocketConnection.Outbound in
            switch delivery.action {
            case .frame(let buffer): WireFrame.text(buffer).map { .wire($0) } ?? .frame(buffer)
            case .close(let buffer, let code): .close(buffer, code: code)
            }
        }
        var delivered = 0
        var schedule = DrainSchedule()
        connections.withLock { connections in
            for (delivery, item) in zip(deliveries, items) {
                for session in delivery.recipients {
                    if connections[session]?.enqueue(item, schedule: &schedule) == true { delivered += 1 }
                }
            }
        }
        schedule.run()
        metrics.deliveries.increment(by: Int64(delivered))
        let now = ContinuousClock.now
        for delivery in deliveries {
            if let acceptedAt = delivery.acceptedAt { metrics.deliveryLatency.record(now - acceptedAt) }
        }
    }

    /// Sends `item` to one socket.
    func send(_ item: SocketConnection.Outbound, to session: SessionID) {
        _ = connections.withLock { $0[session]?.enqueue(item) }
    }

    /// Closes every socket with `code` (after what is already queued).
    func closeAll(code: UInt16) {
        let all = connections.withLock { Array($0.values) }
        for connection in all {
            connection.enqueue(.close(nil, code: code))
        }
    }
}
