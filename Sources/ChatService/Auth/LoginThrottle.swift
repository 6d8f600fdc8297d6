import ChatEngine
import Synchronization

/// Slows password guessing: after `maxFailures` failed logins within `window` for one username
/// (from any address) or from one address (for any username), further attempts are refused
/// until the oldest of those failures leaves the window.
///
/// Check ``isBlocked(username:address:at:)`` before verifying a password, so a blocked attempt
/// costs no bcrypt work. Memory stays bounded: failures older than the window are pruned
/// (amortised over calls), and at most `maxKeys` usernames and addresses are tracked, the
/// least recently failing ones evicted first.
public final class LoginThrottle: Sendable {
    /// The message a client sees while blocked (HTTP 429).
    public static let blockedMessage = "Too many failed logins; try again later"

    /// The default cap on usernames plus addresses tracked at once.
    public static let defaultMaxKeys = 100_000

    private struct State {
        /// Failure instants per key, oldest first, at most `maxFailures` of them.
        var failures: [Key: [Instant]] = [:]
        /// Calls since the last full prune.
        var callsSincePrune = 0
    }

    private enum Key: Hashable {
        case username(String)
        case address(String)
    }

    private let maxFailures: Int
    private let window: Int64
    private let maxKeys: Int
    private let state = Mutex(State())

    /// Creates a throttle that blocks after `maxFailures` failures within `window` milliseconds,
    /// tracking at most `maxKeys` usernames plus addresses.
    public init(maxFailures: Int, window: Int64, maxKeys: Int = LoginThrottle.defaultMaxKeys) {
        precondition(maxFailures > 0, "maxFailures must be positive")
        precondition(window > 0, "the window must be positive")
        precondition(maxKeys >= 2, "maxKeys must leave room for a username and an address")
        self.maxFailures = maxFailures
        self.window = window
        self.maxKeys = maxKeys
    }

    /// How many usernames plus addresses are tracked now (for metrics and tests).
    public var trackedKeyCount: Int {
        state.withLock { $0.failures.count }
    }

    /// Whether a login for `username` (case-insensitively) from `address` must be refused at
    /// `now`: either has `maxFailures` failures within the window.
    public func isBlocked(username: String, address: String, at now: Instant) -> Bool {
        let keys = Self.keys(username: username, address: address)
        return state.withLock { state in
            pruneIfDue(&state, at: now)
            return keys.contains { key in
                recentCount(state.failures[key], at: now) >= maxFailures
            }
        }
    }

    /// Counts a failed login for `username` (case-insensitively) and for `address` at `now`.
    public func recordFailure(username: String, address: String, at now: Instant) {
        let keys = Self.keys(username: username, address: address)
        state.withLock { state in
            pruneIfDue(&state, at: now)
            for key in keys {
                var list = state.failures[key] ?? []
                list.removeAll { !isRecent($0, at: now) }
                list.append(now)
                if list.count > maxFailures { list.removeFirst(list.count - maxFailures) }
                state.failures[key] = list
            }
            if state.failures.count > maxKeys { evict(&state, at: now) }
        }
    }

    /// Forgets the failures of `username` (case-insensitively) after a successful login; the
    /// address's failures stay, so one good account does not reset guessing at others.
    public func recordSuccess(username: String, address: String) {
        state.withLock { state in
            state.failures[.username(username.lowercased())] = nil
        }
    }

    private static func keys(username: String, address: String) -> [Key] {
        [.username(username.lowercased()), .address(address)]
    }

    private func isRecent(_ instant: Instant, at now: Instant) -> Bool {
        now.milliseconds - instant.milliseconds < window
    }

    private func recentCount(_ list: [Instant]?, at now: Instant) -> Int {
        guard let list else { return 0 }
        return list.reduce(0) { $0 + (isRecent($1, at: now) ? 1 : 0) }
    }

    /// Drops keys without recent failures once every `max(1024, keys)` calls: amortised O(1).
    private func pruneIfDue(_ state: inout State, at now: Instant) {
        state.callsSincePrune += 1
        guard state.callsSincePrune >= max(1024, state.failures.count) else { return }
        state.callsSincePrune = 0
        prune(&state, at: now)
    }

    private func prune(_ state: inout State, at now: Instant) {
        state.failures = state.failures.filter { entry in
            entry.value.last.map { isRecent($0, at: now) } ?? false
        }
    }

    /// Prunes, and if still over the cap, evicts the keys whose latest failure is oldest until
    /// 90 % of the cap is left (a batch, so the sort is paid rarely).
    private func evict(_ state: inout State, at now: Instant) {
        prune(&state, at: now)
        state.callsSincePrune = 0
        let target = maxKeys * 9 / 10
        guard state.failures.count > target else { return }
        let oldestFirst = state.failures
            .map { (key: $0.key, latest: $0.value.last ?? .zero) }
            .sorted { $0.latest < $1.latest }
        for entry in oldestFirst.prefix(state.failures.count - target) {
            state.failures[entry.key] = nil
        }
    }
}
