import ChatEngine
import ChatService
import ChatSimulation
import Dispatch
import Foundation
import Synchronization

/// Exploration through the service, for what the engine alone cannot show: the workload of a
/// live exploration (``LiveSchedule``: drops, resumes, restarts) written as fixtures from the
/// reference model and run in-process through ``ChatService``, so a mistake in the service
/// (rendering, history, unread counts, acknowledgements) fails it the way a client would see.
///
/// A failure is caught at the shortest failing prefix of the steps, then shrunk (deleting
/// steps, users, sockets, simplifying values) to steps whose fixture fails through the service
/// as configured and passes through the default one.
///
/// ```swift
/// let exploration = ServiceExploration(seed: 1, users: 8, steps: 1_200)
/// if let finding = try await exploration.run(adjusting: { $0.sendBurst = 1 }) { print(finding.failure) }
/// ```
public struct ServiceExploration: Sendable {
    public let seed: UInt64
    public let users: Int
    public let steps: Int
    /// Sockets dropped (and resumed) per 1 000 steps.
    public let dropsPerThousand: Int
    /// The engine's limits, the model's too.
    public let configuration: ChatConfiguration

    /// What a failing run comes to.
    public struct Finding: Sendable {
        /// How many steps ran until the first failure (the shortest failing prefix).
        public let caughtAt: Int
        /// The prefix's first failing fixture step, with both sides.
        public let failure: String
        /// The shrunk steps.
        public let shrunk: [ScheduledAction]
        /// The shrunk steps as a fixture.
        public let fixture: CounterexampleFixture
    }

    public init(seed: UInt64, users: Int, steps: Int, dropsPerThousand: Int = 25, configuration: ChatConfiguration = ChatConfiguration(typingTimeout: 5_000)) {
        self.seed = seed
        self.users = users
        self.steps = steps
        self.dropsPerThousand = dropsPerThousand
        self.configuration = configuration
    }

    /// Runs the workload through a service configured by `adjusting`; nil when every fixture
    /// step holds.
    public func run(adjusting: @escaping @Sendable (inout ServiceConfiguration) -> Void) async throws -> Finding? {
        let schedule = LiveSchedule(
            seed: seed, users: users, steps: steps, configuration: configuration, faults: .init(dropsPerThousand: dropsPerThousand, kills: true)
        )
        // Positions of drops and posts in flight move as steps go, so prefixes and shrunk runs
        // close sockets and restart plainly (the same to the service in-process).
        var options = CounterexampleFixture.Options.live(schedule)
        options.drops = []
        options.inFlight = [:]
        let all = schedule.steps
        guard try await failure(of: all, options, adjusting) != nil else { return nil }
        // The shortest failing prefix.
        var (low, high) = (1, all.count)
        while low < high {
            let middle = (low + high) / 2
            if try await failure(of: Array(all[..<middle]), options, adjusting) != nil { high = middle } else { low = middle + 1 }
        }
        let prefix = Array(all[..<high])
        let firstFailure = try await failure(of: prefix, options, adjusting) ?? ""
        let shrunk = await shrink(prefix, options, adjusting)
        let fixture = CounterexampleFixture(
            shrunk, description: "service exploration, seed \(seed), \(users) users: \(firstFailure)", configuration: configuration, options: options
        )
        return Finding(caughtAt: prefix.count, failure: firstFailure, shrunk: shrunk, fixture: fixture)
    }

    /// The first failing step of `steps`' fixture through the service, if any.
    private func failure(
        of steps: [ScheduledAction], _ options: CounterexampleFixture.Options, _ adjusting: @Sendable (inout ServiceConfiguration) -> Void
    ) async throws -> String? {
        let fixture = try CounterexampleFixture(steps, description: "", configuration: configuration, options: options).fixture()
        var driver = try await ServiceDriver(fixture: fixture, adjusting: adjusting)
        var failure: String?
        _ = try await FixtureRunner(fixture: fixture).run(on: &driver, stoppingAtFirstFailure: true) { report in
            if failure == nil, let found = report.failure { failure = "step \(report.index) \(report.summary): \(found)" }
        }
        return failure
    }

    /// Shrinks `steps` to what still fails through the adjusted service and passes through the
    /// default one. The shrinker asks synchronously, so it runs on a thread of its own, which
    /// waits for each asynchronous replay (no thread of Swift's concurrency pool is blocked).
    private func shrink(
        _ steps: [ScheduledAction], _ options: CounterexampleFixture.Options, _ adjusting: @escaping @Sendable (inout ServiceConfiguration) -> Void
    ) async -> [ScheduledAction] {
        let exploration = self
        let fails: @Sendable ([ScheduledAction]) -> Bool = { candidate in
            Self.waiting {
                do {
                    guard try await exploration.failure(of: candidate, options, adjusting) != nil else { return false }
                    return try await exploration.failure(of: candidate, options, { _ in }) == nil
                } catch {
                    return false
                }
            }
        }
        let typingTimeout = configuration.typingTimeout
        return await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(returning: StepShrinker(typingTimeout: typingTimeout, fails: fails).shrink(steps))
            }.start()
        }
    }

    /// Runs `body` and waits for it on the calling thread (never one of the concurrency pool's).
    private static func waiting<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let result = Mutex<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            let value = await body()
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return result.withLock { $0! }
    }
}
