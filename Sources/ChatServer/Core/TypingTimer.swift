import ChatEngine
import Synchronization

/// One timer at the engine's next typing deadline (never polling): when it fires, the core
/// runs a `tick`, which expires the indicators and schedules the next deadline.
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
    func schedule(_ deadline: Instant?, fire: @escaping @Sendable () async -> Void) {
        guard let deadline else { return }
        scheduled.withLock { scheduled in
            if let current = scheduled, current.deadline <= deadline { return }
            scheduled?.task.cancel()
            let delay = max(0, deadline.milliseconds - clock.now().milliseconds)
            scheduled = Scheduled(deadline: deadline, task: Task { [weak self] in
                try? await Task.sleep(for: .milliseconds(delay))
                guard !Task.isCancelled else { return }
                self?.scheduled.withLock { $0 = nil }
                await fire()
            })
        }
    }
}
