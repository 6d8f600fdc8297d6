import ChatEngine

/// Replays a list of steps on a fresh engine and a fresh reference model, checking every
/// invariant after each step: how a shrunk counterexample is run again.
public enum Replay {
    /// The first invariant `steps` break on a new engine with `configuration`, or `nil`;
    /// `reporting` passes over violations a client sees elsewhere (nil: none passed over).
    public static func firstViolation(
        in steps: [ScheduledAction], configuration: ChatConfiguration = Explorer.defaultConfiguration, reporting: Set<Observation>? = nil
    ) -> Violation? {
        var runner = ActionRunner(configuration: configuration, engine: ChatEngine(configuration: configuration))
        runner.reporting = reporting
        for (index, step) in steps.enumerated() {
            if let violation = runner.run(step, number: index + 1, isLast: index == steps.count - 1).violation {
                return violation
            }
        }
        return nil
    }

    /// The first violation a client of the server would see if `steps` ran as a fixture
    /// (through v1 and seed sockets and REST, each room listed at the end): violations no client
    /// sees are passed over. Typing left running is let run out, and the fixture's epilogue for
    /// `observation` (a restart, readers resuming) follows the steps.
    public static func firstViolationSeenByClients(
        in steps: [ScheduledAction], showing observation: Observation, configuration: ChatConfiguration = Explorer.defaultConfiguration
    ) -> Violation? {
        var runner = ActionRunner(configuration: configuration, engine: ChatEngine(configuration: configuration))
        runner.reporting = [.inFrames, .inListings, .inPages]
        runner.answersRetriesFromStore = true
        runner.ticksAtDeadlines = true
        let all = steps + Epilogue.steps(after: steps, showing: observation, configuration: configuration)
        for (index, step) in all.enumerated() {
            if let violation = runner.run(step, number: index + 1, isLast: false).violation { return violation }
        }
        if let violation = runner.runOutTyping(after: all.last?.instant ?? .zero).lazy.compactMap(\.violation).first { return violation }
        return runner.sweep(number: all.count, full: true, as: .queriesMatchModel)
    }
}
