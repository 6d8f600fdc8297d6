/// A failing run shrunk to the few steps that still break the same invariant.
///
/// A plain value: `steps` (an action and its instant each) is what a fixture records
/// (`ChatFixtures.CounterexampleFixture`).
public struct Counterexample: Hashable, Sendable, CustomStringConvertible {
    /// The seed of the run it came from.
    public let seed: UInt64
    /// How the shrunk steps fail when replayed on a fresh engine.
    public let violation: Violation
    /// The shrunk run.
    public let steps: [ScheduledAction]
    /// How many steps the original run took to fail.
    public let originalStepCount: Int
    /// Whether a client of the server sees the failure: then a fixture of ``fixtureSteps(configuration:)``
    /// fails on the engine that failed (`Replay.firstViolationSeenByClients(in:showing:configuration:)`).
    public let isSeenByClients: Bool

    /// Creates a counterexample.
    public init(seed: UInt64, violation: Violation, steps: [ScheduledAction], originalStepCount: Int, isSeenByClients: Bool) {
        self.seed = seed
        self.violation = violation
        self.steps = steps
        self.originalStepCount = originalStepCount
        self.isSeenByClients = isSeenByClients
    }

    /// The human description: what fails, and the numbered steps.
    public var description: String {
        var lines = [
            "shrunk from \(originalStepCount) to \(steps.count) steps (seed \(seed)), failing at \(violation)",
            isSeenByClients ? "a client sees it (\(violation.observation)): its fixture fails" : "no client sees it: its fixture passes on this engine too",
        ]
        for (index, step) in steps.enumerated() {
            lines.append("  \(index + 1). \(step)")
        }
        return lines.joined(separator: "\n")
    }
}
