import ChatEngine
import Synchronization

/// An outbox that keeps each session's frames in memory, in the order they were sent: for
/// tests, fixture replays and embedders that read frames instead of writing them to sockets.
public final class MemoryOutbox: ChatOutbox {
    private let frames = Mutex<[SessionID: [OutboundFrame]]>([:])
    private let sessions = Mutex<Set<SessionID>>([])

    public init() {}

    /// Starts keeping frames for `session` (frames for other sessions are dropped, as a server
    /// drops frames for sockets that are gone).
    public func open(_ session: SessionID) {
        _ = sessions.withLock { $0.insert(session) }
    }

    /// Stops keeping frames for `session`.
    public func close(_ session: SessionID) {
        _ = sessions.withLock { $0.remove(session) }
    }

    /// The frames `session` received since the last call, oldest first.
    public func take(_ session: SessionID) -> [OutboundFrame] {
        frames.withLock { $0.removeValue(forKey: session) ?? [] }
    }

    public func deliver(_ deliveries: [OutboundDelivery]) {
        let open = sessions.withLock { $0 }
        frames.withLock { frames in
            for delivery in deliveries {
                for session in delivery.recipients where open.contains(session) {
                    frames[session, default: []].append(delivery.frame)
                }
            }
        }
    }

    public func send(_ frame: OutboundFrame, to session: SessionID) {
        guard sessions.withLock({ $0.contains(session) }) else { return }
        frames.withLock { $0[session, default: []].append(frame) }
    }

    public func closeAll(code: UInt16) {
        let open = sessions.withLock { $0 }
        frames.withLock { frames in
            for session in open { frames[session, default: []].append(.close(nil, code: code)) }
        }
    }
}
