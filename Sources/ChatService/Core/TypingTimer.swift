import ChatEngine
import Synchronization

/// One timer at the engine's next typing deadline (never polling): when it fires, the core
/// runs a `tick`, which expires the indicators and schedules the next deadline. It sleeps on
/// the service's clock, so on a ``ManualClock`` it fires when the clock is moved past it.
final class TypingTimer: Sendable {
    private struct Scheduled {
        var deadline: Instant
        var task: Task<Void, Never>
    }

    private let scheduled = Mutex<Scheduled?>(nil)
    private let clock: any ChatClock

    init(clock: any ChatClock) {
        self.clock = clock
    }

    /// Makes sure `fire` runs at `deadline` (or earlier, if an earlier one is pending).
    func schedule(_ deadline: Instant, fire: @escaping @Sendable () async -> Void) {
        let clock = clock
        scheduled.withLock { scheduled in
            if let current = scheduled, current.deadline <= deadline { return }
            scheduled?.task.cancel()
            scheduled = Scheduled(deadline: deadline, task: Task { [weak self] in
                do {
                    try await clock.sleep(until: deadline)
                } catch {
                    return  // replaced by an earlier deadline
                }
                self?.scheduled.withLock { if $0?.deadline == deadline { $0 = nil } }
                await fire()
            })
        }
    }
}
