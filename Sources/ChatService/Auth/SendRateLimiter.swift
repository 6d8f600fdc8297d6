import ChatEngine
import Synchronization

/// A token bucket per user for sending messages: up to `burst` messages at once, then
/// `ratePerSecond` on average.
///
/// Implemented as the equivalent GCRA ("virtual scheduling"): each user's state is one
/// instant, the time at which their bucket would be full again, so refills do not accumulate
/// rounding errors and a refused send changes nothing.
///
/// Memory stays bounded: when more than `maxUsers` buckets are tracked, buckets that have
/// refilled completely are dropped (a missing bucket is a full one, so this changes nothing);
/// if that is not enough, the fullest buckets go first.
public final class SendRateLimiter: Sendable {
    /// The message a client sees when a send is refused.
    public static let limitedMessage = "Too many messages; slow down"

    /// The default cap on buckets kept before pruning.
    public static let defaultMaxUsers = 100_000

    /// Milliseconds one token takes to refill.
    private let interval: Double
    /// How far (ms) a user's full-again instant may be ahead of now for a send to pass:
    /// `(burst - 1)` intervals.
    private let tolerance: Double
    private let maxUsers: Int
    /// Per user, the instant (ms since the epoch) at which their bucket is full again.
    private let fullAt = Mutex<[UserID: Double]>([:])

    /// Creates a limiter refilling `ratePerSecond` tokens per second, holding at most `burst`
    /// (each send costs one token, so `burst` must be at least 1), keeping at most about
    /// `maxUsers` buckets.
    public init(ratePerSecond: Double, burst: Double, maxUsers: Int = SendRateLimiter.defaultMaxUsers) {
        precondition(ratePerSecond > 0 && ratePerSecond.isFinite, "the rate must be positive")
        precondition(burst >= 1 && burst.isFinite, "the burst must be at least 1")
        precondition(maxUsers > 0, "maxUsers must be positive")
        self.interval = 1000 / ratePerSecond
        self.tolerance = (burst - 1) * interval
        self.maxUsers = maxUsers
    }

    /// How many users have a bucket now (for metrics and tests).
    public var trackedUserCount: Int {
        fullAt.withLock { $0.count }
    }

    /// Whether `user` may send a message at `now`; if so, that message's token is spent.
    public func allow(_ user: UserID, at now: Instant) -> Bool {
        let now = Double(now.milliseconds)
        return fullAt.withLock { fullAt in
            let existing = fullAt[user]
            let start = max(existing ?? now, now)
            guard start - now <= tolerance else { return false }
            fullAt[user] = start + interval
            if existing == nil, fullAt.count > maxUsers { prune(&fullAt, at: now) }
            return true
        }
    }

    /// Drops full buckets; if still above 90 % of the cap, drops the fullest ones until it is not.
    private func prune(_ fullAt: inout [UserID: Double], at now: Double) {
        fullAt = fullAt.filter { $0.value > now }
        let target = maxUsers * 9 / 10
        guard fullAt.count > target else { return }
        let fullestFirst = fullAt.sorted { $0.value < $1.value }
        for entry in fullestFirst.prefix(fullAt.count - target) {
            fullAt[entry.key] = nil
        }
    }
}
