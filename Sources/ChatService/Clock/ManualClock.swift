import ChatEngine
import Synchronization

/// A clock that moves only when told to, for tests and embedders: a rule that depends on time
/// gives the same answer however slow the machine is, and a typing indicator expires exactly
/// when the clock is moved past its deadline.
public final class ManualClock: ChatClock {
    private struct Sleeper {
        let deadline: Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Instant
        var sleepers: [Int: Sleeper] = [:]
        var lastSleeper = 0
    }

    private let state: Mutex<State>

    /// A clock standing at `start` (by default the wall clock's now).
    public init(at start: Instant = WallClock().now()) {
        state = Mutex(State(now: start))
    }

    public func now() -> Instant { state.withLock { $0.now } }

    /// Returns once ``advance(byMilliseconds:)`` has moved the clock to `deadline` or past it.
    public func sleep(until deadline: Instant) async throws {
        let id = state.withLock { state in
            state.lastSleeper += 1
            return state.lastSleeper
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let isDue: Bool? = state.withLock { state in
                    if Task.isCancelled { return false }
                    if deadline <= state.now { return true }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return nil
                }
                switch isDue {
                case true?: continuation.resume()
                case false?: continuation.resume(throwing: CancellationError())
                case nil: break
                }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock forward by `milliseconds`, waking every sleeper whose deadline it reaches.
    public func advance(byMilliseconds milliseconds: Int64) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = state.now.advanced(by: milliseconds)
            let now = state.now
            let due = state.sleepers.filter { $0.value.deadline <= now }
            for id in due.keys { state.sleepers[id] = nil }
            return Array(due.values)
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}
