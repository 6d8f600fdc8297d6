import ChatEngine

/// Replays a list of steps on a fresh engine and a fresh reference model, checking every
/// invariant after each step: how a shrunk counterexample, or a fixture made from one, is run.
public enum Replay {
    /// The first invariant `steps` break on `engine` (which should be new), or `nil`.
    public static func firstViolation<Engine: EngineUnderTest>(
        in steps: [ScheduledCommand], configuration: ChatConfiguration = Explorer.defaultConfiguration, engine: Engine
    ) -> Violation? {
        var checker = InvariantChecker(engine: engine, configuration: configuration)
        for (index, step) in steps.enumerated() {
            if let violation = checker.run(step, number: index + 1, isLast: index == steps.count - 1).violation {
                return violation
            }
        }
        return nil
    }

    /// ``firstViolation(in:configuration:engine:)`` on a new ``ChatEngine``.
    public static func firstViolation(in steps: [ScheduledCommand], configuration: ChatConfiguration = Explorer.defaultConfiguration) -> Violation? {
        firstViolation(in: steps, configuration: configuration, engine: ChatEngine(configuration: configuration))
    }
}
