/// What an ``Explorer`` run found.
public struct ExplorationResult: Sendable {
    /// The whole report, one line per `\n`: seed, progress, any violation and its shrunk
    /// counterexample, the summary, and (last, unless turned off) steps per second.
    public let report: String
    /// Counts per action kind, accepted and rejected, and messages delivered.
    public let statistics: ExplorationStatistics
    /// The invariant broken that the counterexample shows: the first one a client sees (the
    /// run stops there), else the first one.
    public let violation: Violation?
    /// The first violation no client sees, when the run went on past it for one a client sees.
    public let unseenViolation: Violation?
    /// The failing run shrunk, when there was a violation that replays.
    public let counterexample: Counterexample?
    /// Steps per second of the exploration itself (shrinking excluded).
    public let stepsPerSecond: Double
}
