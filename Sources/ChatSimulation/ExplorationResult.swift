/// What an ``Explorer`` run found.
public struct ExplorationResult: Sendable {
    /// The whole report, one line per `\n`: seed, progress, any violation and its shrunk
    /// counterexample, the summary, and (last, unless turned off) steps per second.
    public let report: String
    /// Counts per command kind, accepted and rejected, and messages delivered.
    public let statistics: ExplorationStatistics
    /// The first invariant broken, if any (the run stops there).
    public let violation: Violation?
    /// The failing run shrunk, when there was a violation that replays.
    public let counterexample: Counterexample?
    /// Steps per second of the exploration itself (shrinking excluded).
    public let stepsPerSecond: Double
}
