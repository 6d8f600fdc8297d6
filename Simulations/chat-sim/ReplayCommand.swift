import ArgumentParser
import ChatEngine
import ChatFixtures
import Foundation

/// `chat-sim replay FILE…`: runs fixtures in-process through the service, or against a live server.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay fixtures (see fixtures/README.md) and check every expectation."
    )

    @Option(
        name: .customLong("server"),
        help: "Base URL of a fresh live server (e.g. http://127.0.0.1:8000); repeated, the nodes of one cluster, used in turn; in-process through the service when absent.")
    var servers: [String] = []

    @Argument(help: "Fixture files (`chat-sim explore --save-failure` writes them too).")
    var files: [String]

    #if DEBUG
    @Option(help: "Debug builds only, in-process only: plant one of the engine's bugs in the service's engine.")
    var plantedBug: PlantedBug?
    #endif

    func run() async throws {
        var allPassed = true
        for file in files {
            let data = try Data(contentsOf: URL(filePath: file))
            let fixture: Fixture
            do throws(FixtureFormatError) {
                fixture = try Fixture(json: data)
            } catch {
                throw ValidationError("\(file): \(error.message)")
            }
            print("\(file) — \(fixture.description)")
            let runner = FixtureRunner(fixture: fixture)
            let passed: Bool
            if !servers.isEmpty {
                var driver = ServerDriver(bases: servers)
                passed = try await runner.run(on: &driver, report: Self.show)
            } else {
                var driver = try await ServiceDriver(fixture: fixture) { configuration in
                    #if DEBUG
                    configuration.engine.plantedBug = plantedBug
                    #endif
                }
                passed = try await runner.run(on: &driver, report: Self.show)
            }
            print(passed ? "PASS \(file)\n" : "FAIL \(file)\n")
            allPassed = allPassed && passed
        }
        if !allPassed { throw ExitCode.failure }
    }

    private static func show(_ report: FixtureRunner.StepReport) {
        print("  \(report.failure == nil ? "✔" : "✘") \(report.index). \(report.summary)")
        if let failure = report.failure { print("    \(failure)") }
    }
}
