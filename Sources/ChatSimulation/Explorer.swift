import ChatEngine

/// Explores the engine with a seeded random workload of virtual users, checking invariants
/// against an independent reference model after every step, and shrinks a
/// failing run to a short ``Counterexample``.
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

    /// Explores a new ``ChatEngine``, handing each report line to `log` as it is written.
    public func run(log: (String) -> Void = { _ in }) -> ExplorationResult {
        run(engine: { ChatEngine(configuration: $0) }, log: log)
    }

    /// Explores the engines `makeEngine` builds (one for the run, one per replay while
    /// shrinking), handing each report line to `log` as it is written.
    public func run<Engine: EngineUnderTest>(
        engine makeEngine: (ChatConfiguration) -> Engine, log: (String) -> Void = { _ in }
    ) -> ExplorationResult {
        var lines: [String] = []
        func emit(_ line: String) {
            lines.append(line)
            log(line)
        }
        emit("seed \(seed), \(users) users, \(steps) steps")

        var workload = Workload(seed: seed, users: users, typingTimeout: configuration.typingTimeout)
        var checker = InvariantChecker(engine: makeEngine(configuration), configuration: configuration)
        var statistics = ExplorationStatistics()
        var violation: Violation?
        let clock = ContinuousClock()
        let start = clock.now
        for number in stride(from: 1, through: steps, by: 1) {
            let step = workload.next(checker.model)
            let report = checker.run(step, number: number, isLast: number == steps)
            workload.observe(step.command, checker.model)
            statistics.record(step.command, accepted: report.accepted, messagesDelivered: report.messagesDelivered)
            if let found = report.violation {
                violation = found
                break
            }
            if number % progressInterval == 0 {
                emit(
                    "step \(number): \(statistics.accepted) accepted, \(statistics.rejected) rejected, "
                        + "\(statistics.messagesDelivered) messages delivered; \(checker.model.users.count) users, "
                        + "\(checker.model.rooms.count) rooms, \(checker.model.sessions.count) sessions open"
                )
            }
        }
        let elapsed = clock.now - start

        var counterexample: Counterexample?
        if let violation {
            emit("VIOLATION at \(violation)")
            counterexample = shrink(violation, makeEngine: makeEngine)
            emit(counterexample.map(\.description) ?? "the failing run did not fail again when replayed: the engine is not deterministic")
        }
        emit("summary after \(statistics.steps) steps:")
        statistics.summaryLines.forEach(emit)
        emit(violation == nil ? "invariants: all held after every step" : "invariants: \(violation!.invariant) violated")

        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let stepsPerSecond = seconds > 0 ? Double(statistics.steps) / seconds : 0
        if reportsTiming { emit("steps/s: \(Int(stepsPerSecond))") }
        return ExplorationResult(
            report: lines.map { $0 + "\n" }.joined(), statistics: statistics, violation: violation,
            counterexample: counterexample, stepsPerSecond: stepsPerSecond
        )
    }

    /// The first `count` steps of this exploration, regenerated from the seed (the workload
    /// depends on the reference model only, never on the engine).
    public func generatedSteps(count: Int) -> [ScheduledCommand] {
        var workload = Workload(seed: seed, users: users, typingTimeout: configuration.typingTimeout)
        var model = ReferenceModel(configuration: configuration)
        var steps: [ScheduledCommand] = []
        for _ in 0..<count {
            let step = workload.next(model)
            _ = model.apply(step.command, at: step.instant)
            workload.observe(step.command, model)
            steps.append(step)
        }
        return steps
    }

    /// The failing prefix of the run, shrunk to a short list that breaks the same invariant.
    private func shrink<Engine: EngineUnderTest>(_ violation: Violation, makeEngine: (ChatConfiguration) -> Engine) -> Counterexample? {
        func fails(_ steps: [ScheduledCommand]) -> Violation? {
            Replay.firstViolation(in: steps, configuration: configuration, engine: makeEngine(configuration))
        }
        let prefix = generatedSteps(count: violation.step)
        guard fails(prefix)?.invariant == violation.invariant else { return nil }
        let shrunk = Shrinker.shrink(prefix) { fails($0)?.invariant == violation.invariant }
        return Counterexample(seed: seed, violation: fails(shrunk)!, steps: shrunk, originalStepCount: violation.step)
    }
}
