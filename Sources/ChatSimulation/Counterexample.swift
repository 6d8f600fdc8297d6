/// A failing run shrunk to the few steps that still break the same invariant.
///
/// A plain value: `steps` (command + instant each) is what a fixture file records.
public struct Counterexample: Hashable, Sendable, CustomStringConvertible {
    /// The seed of the run it came from.
    public let seed: UInt64
    /// How the shrunk steps fail when replayed on a fresh engine.
    public let violation: Violation
    /// The shrunk run.
    public let steps: [ScheduledCommand]
    /// How many steps the original run took to fail.
    public let originalStepCount: Int

    /// Creates a counterexample.
    public init(seed: UInt64, violation: Violation, steps: [ScheduledCommand], originalStepCount: Int) {
        self.seed = seed
        self.violation = violation
        self.steps = steps
        self.originalStepCount = originalStepCount
    }

    /// The human description: what fails, and the numbered steps.
    public var description: String {
        var lines = ["shrunk from \(originalStepCount) to \(steps.count) steps (seed \(seed)), failing at \(violation)"]
        for (index, step) in steps.enumerated() {
            lines.append("  \(index + 1). \(step)")
        }
        return lines.joined(separator: "\n")
    }
}
