import ChatEngine
import ChatFixtures
@testable import ChatSimulation
import Testing

/// A live exploration's steps: the workload's with drops, comebacks and kills woven in, from the
/// seed alone; written as a fixture, they pass in-process through the service.
@Suite struct LiveScheduleTests {
    private static let configuration = ChatConfiguration(typingTimeout: 5_000)

    private static func schedule(seed: UInt64, users: Int = 10, steps: Int = 1_500, drops: Int = 20, kills: Bool = true) -> LiveSchedule {
        LiveSchedule(seed: seed, users: users, steps: steps, configuration: configuration, faults: .init(dropsPerThousand: drops, kills: kills))
    }

    @Test func theSameSeedGivesTheSameSteps() {
        let first = Self.schedule(seed: 3)
        #expect(first.steps == Self.schedule(seed: 3).steps)
        #expect(first.drops == Self.schedule(seed: 3).drops)
        #expect(first.steps != Self.schedule(seed: 4).steps)
        #expect(first.steps.count == 1_500)
    }

    /// Each drop is a disconnect of a subscribed v1 socket; its client comes back as the same
    /// user on a socket named after it and resumes each room after the last seq it saw.
    @Test func aDroppedClientComesBackAndResumesWhereItWas() throws {
        let schedule = Self.schedule(seed: 5)
        #expect(schedule.drops.count >= 15)
        #expect(schedule.comebacks >= schedule.drops.count)
        #expect(schedule.resumedSubscriptions >= schedule.comebacks)
        #expect(schedule.recoveredMessages > 0)
        for position in schedule.drops {
            guard case .disconnect(let socket) = schedule.steps[position].action else {
                Issue.record("step \(position) is a drop but \(schedule.steps[position].action)")
                continue
            }
            let base = socket.split(separator: ".").first.map(String.init) ?? socket
            let comeback = schedule.steps[(position + 1)...].first { step in
                if case .connect(let session, _) = step.action { session.hasPrefix(base + ".") } else { false }
            }
            guard let comeback, case .connect(let session, _) = comeback.action else {
                continue  // the run ended before the client came back
            }
            #expect(schedule.steps.contains { step in
                if case .subscribe(session, _, let afterSeq?) = step.action { afterSeq >= 0 } else { false }
            }, "\(session) resumes nothing")
        }
    }

    @Test func killsAreTheWorkloadsRestartsAndLeftOutWithoutThem() {
        let killing = Self.schedule(seed: 2, users: 6, steps: 3_000)
        #expect(killing.kills >= 2)
        #expect(killing.kills == killing.steps.count { $0.action == .restart })
        let sparing = Self.schedule(seed: 2, users: 6, steps: 3_000, kills: false)
        #expect(sparing.kills == 0)
        #expect(!sparing.steps.contains { $0.action == .restart })
    }

    /// The fixture a live run checks a server against holds in-process too: drops as drops,
    /// restarts as kills (sockets end with 1006), every room's history at the end.
    @Test(arguments: [UInt64(1), 2, 3])
    func theLiveFixturePassesInProcess(seed: UInt64) async throws {
        let schedule = Self.schedule(seed: seed, users: 8, steps: 1_200, drops: 25)
        let written = CounterexampleFixture(schedule.steps, description: "live \(seed)", configuration: Self.configuration, options: .live(schedule))
        let fixture = try written.fixture()
        let names = Set(fixture.steps.map(\.action.name))
        #expect(names.isSuperset(of: ["drop", "expect_history", "connect", "send", "post"]))
        #expect(written.json.contains(#""closed":1006"#) == (schedule.kills > 0))
        var driver = try await ServiceDriver(fixture: fixture)
        var failures: [String] = []
        let passed = try await FixtureRunner(fixture: fixture).run(on: &driver, stoppingAtFirstFailure: true) { report in
            if let failure = report.failure { failures.append("step \(report.index) \(report.summary): \(failure)") }
        }
        #expect(passed, "\(failures.joined(separator: "\n"))")
    }
}
