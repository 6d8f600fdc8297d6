import ChatEngine
import ChatSimulation
import Foundation
import Testing

@Suite struct ExplorerTests {
    @Test(arguments: 1...20)
    func theRealEngineKeepsEveryInvariant(seed: UInt64) {
        let result = Explorer(seed: seed, users: 20, steps: 2_000, reportsTiming: false).run()
        #expect(result.violation == nil, "\(result.report)")
        #expect(result.statistics.steps == 2_000)
        #expect(result.statistics.accepted > 1_000)
        #expect(result.statistics.rejected > 100)
        #expect(result.statistics.messagesDelivered > 500)
    }

    @Test func theSameSeedGivesTheSameReportByteForByte() {
        let explorer = Explorer(seed: 42, users: 30, steps: 3_000, reportsTiming: false)
        let first = explorer.run().report
        #expect(first == explorer.run().report)
        #expect(first.hasPrefix("seed 42, 30 users, 3000 steps\nstep 300: "))
        #expect(first.hasSuffix("invariants: all held after every step\n"))
        #expect(first != Explorer(seed: 43, users: 30, steps: 3_000, reportsTiming: false).run().report)
    }

    @Test func theTimingLineComesLastAndOnlyWhenAskedFor() {
        let timed = Explorer(seed: 7, users: 10, steps: 500).run().report.split(separator: "\n")
        let untimed = Explorer(seed: 7, users: 10, steps: 500, reportsTiming: false).run().report.split(separator: "\n")
        #expect(timed.last?.hasPrefix("steps/s: ") == true)
        #expect(Array(timed.dropLast()) == untimed)
    }

    @Test(arguments: BuggyEngine.Bug.allCases)
    func aPlantedBugIsFoundAndShrunk(bug: BuggyEngine.Bug) throws {
        let explorer = Explorer(seed: 3, users: 20, steps: 2_000, reportsTiming: false)
        let result = explorer.run(engine: { BuggyEngine(bug, configuration: $0) })
        let violation = try #require(result.violation, "\(bug) went unnoticed")
        #expect(violation.invariant == bug.invariant, "\(result.report)")
        let counterexample = try #require(result.counterexample)
        #expect(counterexample.originalStepCount == violation.step)
        #expect(counterexample.steps.count <= 25, "\(counterexample)")
        #expect(counterexample.steps.count * 3 <= counterexample.originalStepCount, "\(counterexample)")
        #expect(result.report.contains("VIOLATION at step \(violation.step): \(bug.invariant)"))

        // The shrunk steps fail the same way on a fresh buggy engine, and pass on the real one.
        let replayed = Replay.firstViolation(in: counterexample.steps, configuration: explorer.configuration, engine: BuggyEngine(bug, configuration: explorer.configuration))
        #expect(replayed?.invariant == bug.invariant)
        #expect(replayed == counterexample.violation)
        #expect(Replay.firstViolation(in: counterexample.steps) == nil)
    }

    @Test func generatedStepsAreTheRunsSteps() {
        let explorer = Explorer(seed: 11, users: 8, steps: 300)
        let steps = explorer.generatedSteps(count: 300)
        #expect(steps.count == 300)
        #expect(zip(steps, steps.dropFirst()).allSatisfy { $0.instant <= $1.instant })
        #expect(Replay.firstViolation(in: steps, configuration: explorer.configuration) == nil)
        #expect(steps == explorer.generatedSteps(count: 300))
    }
}

@Suite struct EngineScriptTests {
    /// A saved counterexample reads back as the same steps, and still fails on the engine it
    /// was found on.
    @Test func aShrunkCounterexampleRoundTripsThroughJSON() throws {
        let generated = Explorer(seed: 3, users: 8, steps: 400).generatedSteps(count: 400)
        let script = EngineScript(steps: generated, seed: 3, violation: "none")
        let read = try EngineScript(json: script.json())
        #expect(read.scheduledCommands == generated)
        #expect(read.seed == 3)
        #expect(throws: (any Error).self) { try EngineScript(json: Data(#"{"format":"other","version":1,"steps":[]}"#.utf8)) }
    }
}
