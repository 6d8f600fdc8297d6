import ChatEngine

/// Explores the engine with a seeded random workload of virtual users, checking invariants
/// against an independent reference model after every step, and shrinks a
/// failing run to a short ``Counterexample``.
///
/// In a debug build, `configuration.plantedBug` plants one of the engine's ``PlantedBug``s in
/// the engine explored (the model never has it): the tests prove each is found and shrunk.
///
/// One seed reproduces a run exactly: the report is byte-identical from run to run, except its
/// last line (steps per second), which ``reportsTiming`` turns off.
///
/// ```swift
/// let result = Explorer(seed: 42, users: 50, steps: 100_000).run { print($0) }
/// if let counterexample = result.counterexample { print(counterexample.steps) }
/// ```
public struct Explorer: Sendable {
    /// The engine configuration explorations use unless told otherwise: the default limits
    /// with a recent window of 10 messages per room, so windows roll over (and old client
    /// message ids are forgotten) often.
    public static let defaultConfiguration = ChatConfiguration(typingTimeout: 5_000, recentMessagesPerRoom: 10, maxMessageLength: 4_000)

    /// The seed everything random derives from.
    public var seed: UInt64
    /// How many users the workload registers.
    public var users: Int
    /// How many steps to run.
    public var steps: Int
    /// The engine's (and the model's) limits.
    public var configuration: ChatConfiguration
    /// A progress line every this many steps.
    public var progressInterval: Int
    /// Whether the report ends with the (nondeterministic) steps-per-second line.
    public var reportsTiming: Bool

    /// An exploration of `steps` steps by `users` users from `seed`; progress every tenth of
    /// the run unless `progressInterval` says otherwise.
    public init(
        seed: UInt64, users: Int, steps: Int, configuration: ChatConfiguration = Explorer.defaultConfiguration,
        progressInterval: Int? = nil, reportsTiming: Bool = true
    ) {
        precondition(users >= 2, "an exploration needs at least two users")
        precondition(steps >= 0, "steps must not be negative")
        self.seed = seed
        self.users = users
        self.steps = steps
        self.configuration = configuration
        self.progressInterval = max(1, progressInterval ?? steps / 10)
        self.reportsTiming = reportsTiming
    }

    /// Explores a new ``ChatEngine`` with ``configuration`` (and, in a debug build, the bug it
    /// plants), handing each report line to `log` as it is written.
    public func run(log: (String) -> Void = { _ in }) -> ExplorationResult {
        var lines: [String] = []
        func emit(_ line: String) {
            lines.append(line)
            log(line)
        }
        emit("seed \(seed), \(users) users, \(steps) steps")

        var workload = Workload(seed: seed, users: users, typingTimeout: configuration.typingTimeout)
        var runner = ActionRunner(configuration: configuration, engine: ChatEngine(configuration: configuration))
        // A violation no client would see is noted, and the run goes on for one a client sees.
        runner.reporting = Self.seenSomewhere
        var statistics = ExplorationStatistics()
        var violation: Violation?
        var unseen: Violation?
        let clock = ContinuousClock()
        let start = clock.now
        for number in stride(from: 1, through: steps, by: 1) {
            let step = workload.next(runner)
            let report = runner.run(step, number: number, isLast: number == steps)
            workload.observe(step.action, runner)
            statistics.record(step.action, accepted: report.accepted, messagesDelivered: report.messagesDelivered)
            if unseen == nil, let first = runner.passedOver.first {
                emit("VIOLATION at \(first)")
                emit("no client sees it; exploring on for a violation a client sees")
                unseen = first
            }
            if let found = report.violation {
                violation = found
                break
            }
            if number % progressInterval == 0 {
                emit(
                    "step \(number): \(statistics.accepted) accepted, \(statistics.rejected) rejected, "
                        + "\(statistics.messagesDelivered) messages delivered; \(runner.model.users.count) users, "
                        + "\(runner.model.rooms.count) rooms, \(runner.model.sessions.count) sessions open, \(statistics.restarts) restarts"
                )
            }
        }
        let elapsed = clock.now - start

        var counterexample: Counterexample?
        if let found = violation {
            emit("VIOLATION at \(found)")
            // What follows a violation no client sees may only be its consequence: the later one
            // is shrunk when a client would see it, else the first.
            if let unseen, !seenByClients(generatedSteps(count: found.step), showing: found.observation) {
                emit("no client would see it either: the first violation is shrunk")
                violation = unseen
            }
        } else if let unseen {
            violation = unseen
        }
        if let violation {
            counterexample = shrink(violation)
            emit(counterexample.map(\.description) ?? "the failing run did not fail again when replayed: the engine is not deterministic")
        }
        emit("summary after \(statistics.steps) steps:")
        statistics.summaryLines.forEach(emit)
        emit(violation == nil ? "invariants: all held after every step" : "invariants: \(violation!.invariant) violated")

        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let stepsPerSecond = seconds > 0 ? Double(statistics.steps) / seconds : 0
        if reportsTiming { emit("steps/s: \(Int(stepsPerSecond))") }
        return ExplorationResult(
            report: lines.map { $0 + "\n" }.joined(), statistics: statistics, violation: violation, unseenViolation: unseen,
            counterexample: counterexample, stepsPerSecond: stepsPerSecond
        )
    }

    /// The first `count` steps of this exploration, regenerated from the seed (the workload
    /// depends on the reference model only, never on the engine).
    public func generatedSteps(count: Int) -> [ScheduledAction] {
        var workload = Workload(seed: seed, users: users, typingTimeout: configuration.typingTimeout)
        var runner = ActionRunner(configuration: configuration, engine: nil)
        var steps: [ScheduledAction] = []
        for number in 0..<count {
            let step = workload.next(runner)
            _ = runner.run(step, number: number + 1, isLast: false)
            workload.observe(step.action, runner)
            steps.append(step)
        }
        return steps
    }

    /// Where a client may see a violation: everywhere but nowhere.
    private static let seenSomewhere: Set<Observation> = [.inFrames, .inListings, .inPages, .inTiming, .afterRestart]

    /// Whether a fixture of `steps` would show a client something wrong.
    private func seenByClients(_ steps: [ScheduledAction], showing observation: Observation) -> Bool {
        Replay.firstViolationSeenByClients(in: steps, showing: observation, configuration: configuration) != nil
    }

    /// The failing prefix of the run, shrunk to a short list that breaks the same invariant.
    private func shrink(_ violation: Violation) -> Counterexample? {
        // Runs stop at violations a client may see, or (finding none) at the first at all.
        let reporting = violation.observation == .nowhere ? nil : Self.seenSomewhere
        func fails(_ steps: [ScheduledAction]) -> Violation? {
            Replay.firstViolation(in: steps, configuration: configuration, reporting: reporting)
        }
        let prefix = generatedSteps(count: violation.step)
        // The same invariant, seen the same way; and when a fixture of the run would show a
        // client something wrong, so must the shrunk one's.
        let seen = seenByClients(prefix, showing: violation.observation)
        func failsTheSame(_ steps: [ScheduledAction]) -> Bool {
            let found = fails(steps)
            return found?.invariant == violation.invariant && found?.observation == violation.observation
                && (!seen || seenByClients(steps, showing: violation.observation))
        }
        guard failsTheSame(prefix) else { return nil }
        let shrunk = StepShrinker(typingTimeout: configuration.typingTimeout, fails: failsTheSame).shrink(prefix)
        return Counterexample(seed: seed, violation: fails(shrunk)!, steps: shrunk, originalStepCount: violation.step, isSeenByClients: seen)
    }
}
