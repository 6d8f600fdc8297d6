import ChatEngine
@testable import ChatSimulation
import Testing

@Suite struct ExplorerTests {
    @Test(arguments: 1...12)
    func theRealEngineKeepsEveryInvariant(seed: UInt64) {
        let result = Explorer(seed: seed, users: 20, steps: 2_000, reportsTiming: false).run()
        #expect(result.violation == nil, "\(result.report)")
        #expect(result.statistics.steps == 2_000)
        #expect(result.statistics.accepted > 1_000)
        #expect(result.statistics.rejected > 100)
        #expect(result.statistics.messagesDelivered > 300)
    }

    /// Restarts are rare with many users; with few they come often enough to check restores.
    @Test func restartsRebuildTheEngineMidRun() {
        let result = Explorer(seed: 5, users: 6, steps: 4_000, reportsTiming: false).run()
        #expect(result.violation == nil, "\(result.report)")
        #expect(result.statistics.restarts >= 2, "\(result.report)")
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

    @Test func generatedStepsAreTheRunsSteps() {
        let explorer = Explorer(seed: 11, users: 8, steps: 300)
        let steps = explorer.generatedSteps(count: 300)
        #expect(steps.count == 300)
        #expect(zip(steps, steps.dropFirst()).allSatisfy { $0.instant <= $1.instant })
        #expect(Replay.firstViolation(in: steps, configuration: explorer.configuration) == nil)
        #expect(steps == explorer.generatedSteps(count: 300))
    }

    /// Steps name users, rooms, sockets and messages: deleting an early step changes nothing in
    /// the steps after it, and a step naming what no longer exists is skipped.
    @Test func stepsNameThingsSoDeletingOneRenumbersNothing() {
        let steps: [ScheduledAction] = [
            ScheduledAction(.register("ann"), at: .zero),
            ScheduledAction(.register("bob"), at: .zero),
            ScheduledAction(.createGroup(user: "bob", name: "team", members: ["ann"]), at: .zero),
            ScheduledAction(.connect(session: "v1", user: "ann"), at: .zero),
            ScheduledAction(.subscribe(session: "v1", room: .named("team"), afterSeq: nil), at: .zero),
            ScheduledAction(.send(user: "bob", via: nil, room: .named("team"), text: "hi", clientMessageID: nil, label: "m1"), at: .zero),
            ScheduledAction(.edit(user: "bob", message: "m1", text: "hello"), at: .zero),
        ]
        #expect(Replay.firstViolation(in: steps) == nil)
        let withoutAnn = Transcript(of: steps.removingUser("ann"))
        #expect(withoutAnn.entries.map(\.step.action) == [steps[1].action, .createGroup(user: "bob", name: "team", members: []), steps[5].action, steps[6].action])
        #expect(withoutAnn.entries.allSatisfy { $0.answer != .skipped && $0.answer != .refused(.unknownRoom) })
        let withoutTheSend = Transcript(of: steps.filter { if case .send = $0.action { false } else { true } })
        #expect(withoutTheSend.entries.last?.answer == .skipped)
    }
}
