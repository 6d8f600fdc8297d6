import ChatEngine
import Synchronization

/// Which open sessions are v1 sockets; every other session is a seed socket. The renderer
/// reads this to give each recipient the frames of its protocol.
final class V1Sessions: Sendable {
    private let ids = Mutex<Set<SessionID>>([])

    func insert(_ session: SessionID) {
        _ = ids.withLock { $0.insert(session) }
    }

    func remove(_ session: SessionID) {
        _ = ids.withLock { $0.remove(session) }
    }

    /// Runs `body` with the current set (under its lock: keep it short).
    func withIDs<T>(_ body: (Set<SessionID>) -> T) -> T {
        ids.withLock { body($0) }
    }
}
