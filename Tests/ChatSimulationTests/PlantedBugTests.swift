#if DEBUG
import ChatEngine
import ChatFixtures
import ChatSimulation
import Testing

/// Every bug the engine can plant (``PlantedBug``) is found by exploration within a fixed step
/// budget and shrunk to at most 12 steps, which fail the same way on the buggy engine and pass
/// on the real one; written as a fixture, they pass through the real service and fail through
/// the buggy one whenever a client can see the bug at all.
@Suite struct PlantedBugTests {
    /// Steps an exploration may take to find a bug.
    static let budget = 3_000

    /// The exploration every bug must fail: one seed, few users (so that they meet in rooms
    /// often), the budget.
    static func explorer(planting bug: PlantedBug) -> Explorer {
        var configuration = Explorer.defaultConfiguration
        configuration.plantedBug = bug
        return Explorer(seed: 1, users: 6, steps: budget, configuration: configuration, reportsTiming: false)
    }

    /// The bug the explorer's fixtures cannot show: the server answers a retry from its store
    /// before the engine hears of it.
    static let unseen: Set<PlantedBug> = [.duplicateStored]

    @Test(arguments: PlantedBug.allCases)
    func aPlantedBugIsFoundShrunkAndWrittenAsAFixture(bug: PlantedBug) async throws {
        let explorer = Self.explorer(planting: bug)
        let result = explorer.run()
        let violation = try #require(result.violation, "\(bug) went unnoticed in \(Self.budget) steps")
        let counterexample = try #require(result.counterexample, "\(result.report)")
        #expect(counterexample.originalStepCount == violation.step)
        #expect(counterexample.steps.count <= 12, "\(bug): \(counterexample)")
        #expect(result.report.contains("VIOLATION at step \(violation.step): \(violation.invariant)"))
        if bug == .restoreForgetsReadMarkers {
            // Found when the engine is rebuilt from the store mid-run.
            #expect(violation.invariant == .restoreGivesTheSameEngine)
            #expect(counterexample.steps.contains { $0.action == .restart })
        }

        // The shrunk steps fail the same way on a fresh buggy engine, and pass on the real one.
        let reporting: Set<Observation>? = violation.observation == .nowhere ? nil : [.inFrames, .inListings, .inPages, .inTiming, .afterRestart]
        let replayed = Replay.firstViolation(in: counterexample.steps, configuration: explorer.configuration, reporting: reporting)
        #expect(replayed?.invariant == violation.invariant, "\(bug): \(counterexample)")
        #expect(Replay.firstViolation(in: counterexample.steps) == nil, "\(bug): \(counterexample)")

        // As a fixture, through the service: the real engine passes, the buggy one fails when a client can see it.
        #expect(counterexample.isSeenByClients == !Self.unseen.contains(bug), "\(bug): \(counterexample)")
        let fixture = try CounterexampleFixture(counterexample.fixtureSteps(configuration: explorer.configuration), description: "\(bug)").fixture()
        var real = try await ServiceDriver(fixture: fixture)
        #expect(try await FixtureRunner(fixture: fixture).run(on: &real), "\(bug): the real service fails the fixture")
        var buggy = try await ServiceDriver(fixture: fixture) { $0.engine.plantedBug = bug }
        #expect(try await FixtureRunner(fixture: fixture).run(on: &buggy) == !counterexample.isSeenByClients, "\(bug)")
    }
}
#endif
