import ArgumentParser
import ChatSimulation
import Foundation

/// `chat-sim explore --seed N --users U --steps S`: a seeded random workload on the engine,
/// checked after every step against an independent reference model; a failure is shrunk.
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Explore the engine with random virtual users and check every invariant after every step."
    )

    @Option(help: "The seed: the same seed gives the same run and the same report.")
    var seed: UInt64 = 1

    @Option(help: "Virtual users.")
    var users = 50

    @Option(help: "Steps.")
    var steps = 100_000

    @Option(help: "Where to write a failing run, shrunk, as a script `chat-sim replay` reads.")
    var saveFailure: String?

    @Flag(help: "Leave out the steps-per-second line, so the output is byte-identical from run to run.")
    var noTiming = false

    func run() throws {
        let result = Explorer(seed: seed, users: users, steps: steps, reportsTiming: !noTiming).run { print($0) }
        guard let counterexample = result.counterexample else { return }
        if let saveFailure {
            let script = EngineScript(steps: counterexample.steps, seed: seed, violation: counterexample.violation.description)
            try script.json().write(to: URL(filePath: saveFailure))
            print("wrote the shrunk run (\(counterexample.steps.count) steps) to \(saveFailure)")
        }
        throw ExitCode.failure
    }
}
