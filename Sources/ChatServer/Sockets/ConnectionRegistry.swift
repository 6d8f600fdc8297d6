import ChatEngine
import ChatService
import ChatWire
import NIOCore
import Synchronization

/// The open sockets by engine session, and the fan-out of the service's frames to them: the
/// server's ``ChatOutbox``.
final class ConnectionRegistry: ChatOutbox {
    private let connections = Mutex<[SessionID: SocketConnection]>([:])
    private let metrics: ServerMetrics

    init(metrics: ServerMetrics) {
        self.metrics = metrics
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

    /// A delivery with its frame encoded for the wire, once for all its recipients.
    struct EncodedDelivery: Sendable {
        let recipients: [SessionID]
        let item: SocketConnection.Outbound
        let acceptedAt: ContinuousClock.Instant?
    }

    /// Encodes each delivery's frame for the wire, on the thread that ran the command (not the
    /// store's committer).
    func prepare(_ deliveries: [OutboundDelivery]) -> [EncodedDelivery] {
        deliveries.map { delivery in
            let item: SocketConnection.Outbound
            switch delivery.frame {
            case .text(let bytes):
                item = WireFrame.text(bytes).map { .wire($0) } ?? .frame(ByteBuffer(bytes: bytes))
            case .close(let bytes, let code):
                item = .close(bytes.map { ByteBuffer(bytes: $0) }, code: code)
            }
            return EncodedDelivery(recipients: delivery.recipients, item: item, acceptedAt: delivery.acceptedAt)
        }
    }

    /// Hands each delivery's frame to its recipients' queues without waiting on any socket;
    /// then each event loop drains its sockets in one go.
    func deliver(_ deliveries: [EncodedDelivery]) {
        var delivered = 0
        var schedule = DrainSchedule()
        connections.withLock { connections in
            for delivery in deliveries {
                for session in delivery.recipients {
                    if connections[session]?.enqueue(delivery.item, schedule: &schedule) == true { delivered += 1 }
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

    func send(_ frame: OutboundFrame, to session: SessionID) {
        let item: SocketConnection.Outbound = switch frame {
        case .text(let bytes): .frame(ByteBuffer(bytes: bytes))
        case .close(let bytes, let code): .close(bytes.map { ByteBuffer(bytes: $0) }, code: code)
        }
        _ = connections.withLock { $0[session]?.enqueue(item) }
    }

    func closeAll(code: UInt16) {
        let all = connections.withLock { Array($0.values) }
        for connection in all {
            connection.enqueue(.close(nil, code: code))
        }
    }
}
