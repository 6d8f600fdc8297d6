import ChatEngine
import Foundation
import Synchronization

/// Where the server's time comes from. The engine's instants are milliseconds since the Unix
/// epoch; every rule that depends on time (typing expiry, token lifetimes, rate limits, login
/// throttling) reads this clock, so a test can run them on time it controls.
public protocol ChatClock: Sendable {
    /// The current instant.
    func now() -> Instant
}

/// The system's clock.
public struct WallClock: ChatClock {
    public init() {}

    public func now() -> Instant {
        Instant(milliseconds: Int64((Date().timeIntervalSince1970 * 1_000).rounded(.down)))
    }
}

/// A clock that moves only when told to, for tests: a rule that depends on time gives the same
/// answer however slow the machine is.
public final class ManualClock: ChatClock {
    private let current: Mutex<Instant>

    /// A clock standing at `start` (by default the wall clock's now).
    public init(at start: Instant = WallClock().now()) {
        current = Mutex(start)
    }

    public func now() -> Instant { current.withLock { $0 } }

    /// Moves the clock forward by `milliseconds`.
    public func advance(byMilliseconds milliseconds: Int64) {
        current.withLock { $0 = $0.advanced(by: milliseconds) }
    }
}
