import ArgumentParser
import ChatEngine
import ChatFixtures
import ChatSimulation
import Foundation

/// `chat-sim explore --seed N --users U --steps S`: a seeded random workload on the engine,
/// checked after every step against an independent reference model; a failure is shrunk and
/// can be saved as a fixture.
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

    @Option(help: "Where to write a failing run, shrunk, as a fixture `chat-sim replay` runs (fixtures/README.md).")
    var saveFailure: String?

    @Flag(help: "Leave out the steps-per-second line, so the output is byte-identical from run to run.")
    var noTiming = false

    #if DEBUG
    @Option(help: "Debug builds only: plant one of the engine's bugs (\(PlantedBug.allCases.map(\.rawValue).joined(separator: ", "))).")
    var plantedBug: PlantedBug?
    #endif

    /// The explorer's engine configuration, with the planted bug of a debug build.
    private var engineConfiguration: ChatConfiguration {
        #if DEBUG
        var configuration = Explorer.defaultConfiguration
        configuration.plantedBug = plantedBug
        return configuration
        #else
        return Explorer.defaultConfiguration
        #endif
    }

    func run() throws {
        let configuration = engineConfiguration
        let result = Explorer(seed: seed, users: users, steps: steps, configuration: configuration, reportsTiming: !noTiming).run { print($0) }
        guard let counterexample = result.counterexample else {
            if result.violation != nil { throw ExitCode.failure }
            return
        }
        if let saveFailure {
            let fixture = CounterexampleFixture(
                counterexample.fixtureSteps(configuration: configuration), description: "explore --seed \(seed) --users \(users): \(counterexample.violation)",
                configuration: configuration
            )
            try fixture.json.write(to: URL(filePath: saveFailure), atomically: true, encoding: .utf8)
            print("wrote the shrunk run (\(counterexample.steps.count) steps, \(fixture.steps.count) fixture steps) to \(saveFailure)")
        }
        throw ExitCode.failure
    }
}

#if DEBUG
extension PlantedBug: ExpressibleByArgument {}
#endif
