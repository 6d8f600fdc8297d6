import ArgumentParser
import ChatFixtures
import ChatSimulation
import Foundation

/// `chat-sim replay FILE…`: runs fixtures in-process on the engine, or against a live server.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay fixtures (see fixtures/README.md) and check every expectation."
    )

    @Option(help: "Base URL of a fresh live server (e.g. http://127.0.0.1:8000); in-process on the engine when absent.")
    var server: String?

    @Argument(help: "Fixture files (or scripts that `chat-sim explore --save-failure` wrote).")
    var files: [String]

    func run() async throws {
        var allPassed = true
        for file in files {
            let data = try Data(contentsOf: URL(filePath: file))
            if let script = try? EngineScript(json: data) {
                // A saved exploration failure: engine commands, checked against the reference model.
                let violation = Replay.firstViolation(in: script.scheduledCommands)
                print(violation.map { "FAIL \(file): \($0)\n" } ?? "PASS \(file): \(script.steps.count) steps, no invariant broken\n")
                allPassed = allPassed && violation == nil
                continue
            }
            let fixture: Fixture
            do throws(FixtureFormatError) {
                fixture = try Fixture(json: data)
            } catch {
                throw ValidationError("\(file): \(error.message)")
            }
            print("\(file) — \(fixture.description)")
            let runner = FixtureRunner(fixture: fixture)
            let passed: Bool
            if let server {
                var driver = ServerDriver(base: server)
                passed = try await runner.run(on: &driver, report: Self.show)
            } else {
                var driver = try await ServiceDriver(fixture: fixture)
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
