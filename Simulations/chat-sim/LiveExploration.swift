import ChatEngine
import ChatFixtures
import ChatSimulation
import Foundation

/// `chat-sim explore --server URL` / `--spawn-server`: the explorer's workload run through a
/// live chat-server's real v1 and seed sockets and REST, every answer and every frame checked
/// against what the reference model says, with faults injected (``LiveSchedule``): sockets
/// dropped and resumed with `after_seq`, and, on a server the run started, SIGKILL and restart.
///
/// The steps and their expectations are those of a fixture (``CounterexampleFixture``) written
/// from the seed before the run, so the same seed gives the same workload; only timing differs.
/// At the end every socket must have received nothing more, and every room's history must be
/// every accepted message once, in seq order, as the model stored it.
struct LiveExploration {
    let seed: UInt64
    let users: Int
    let steps: Int
    let dropsPerThousand: Int
    /// The live server's engine limits: chat-server's defaults.
    static let configuration = ChatConfiguration(typingTimeout: 5_000)
    /// How a server the run starts is configured: cheap password hashes, no practical send
    /// limit (the workload sends in bursts), the model's typing timeout.
    static let serverArguments = [
        "--bcrypt-cost", "4", "--send-rate", "1000000", "--send-burst", "1000000", "--typing-timeout", String(configuration.typingTimeout),
    ]
    /// Left out of the comparison (in-process explorations check them): typing indicators
    /// expire by the server's clock, which the run does not control; and presence follows when
    /// the server notices a socket is gone, which for a dropped connection is whenever its TCP
    /// close arrives, so a presence frame (and who is listed online) can land a step late.
    static let ignoredFrameTypes: Set<String> = ["typing", "presence"]

    /// What a run found.
    struct Outcome {
        let passed: Bool
        /// The run as a fixture (typing included, for an in-process replay of a failure).
        let fixture: CounterexampleFixture
    }

    /// Runs against the nodes at `bases` (one, or several of one cluster, used in turn);
    /// `restarter` (servers this run started) kills them in turn at restart steps.
    func run(bases: [String], restarter: ServerRestarter?, log: (String) -> Void) async throws -> Outcome {
        let schedule = LiveSchedule(
            seed: seed, users: users, steps: steps, configuration: Self.configuration,
            faults: .init(dropsPerThousand: dropsPerThousand, kills: restarter != nil)
        )
        let written = CounterexampleFixture(
            schedule.steps, description: "chat-sim explore --seed \(seed) --users \(users) --steps \(steps) --drops-per-thousand \(dropsPerThousand), live",
            configuration: Self.configuration, options: .live(schedule)
        )
        let fixture = Self.ignoring(Self.ignoredFrameTypes, in: try written.fixture())
        let counts = Counts(fixture)

        let target = bases.count == 1 ? "\(restarter == nil ? "" : "a chat-server it started, ")\(bases[0])" : "\(bases.count) nodes on one database (\(bases.joined(separator: ", ")))"
        log("live: seed \(seed), \(users) users, \(steps) steps against \(target)")
        log(
            "faults: \(schedule.drops.count) sockets dropped, \(schedule.kills) kills (SIGKILL\(bases.count > 1 ? " of one node in turn" : ""), restart on the same database); "
                + "\(schedule.comebacks) clients came back and resumed \(schedule.resumedSubscriptions) subscriptions after their last seq, "
                + "recovering \(schedule.recoveredMessages) messages"
        )
        log("checks: \(fixture.steps.count) fixture steps; \(counts.frames) frames expected on \(counts.sockets) sockets, \(counts.requests) requests answered, \(counts.histories) history pages")

        var driver = ServerDriver(bases: bases, settle: .zero, realTime: false, restarter: restarter)
        let progress = max(1, fixture.steps.count / 10)
        var failure: FixtureRunner.StepReport?
        let clock = ContinuousClock()
        let start = clock.now
        var passed = try await FixtureRunner(fixture: fixture).run(on: &driver, stoppingAtFirstFailure: true) { report in
            if report.failure != nil { failure = report }
            if report.index % progress == 0 { log("fixture step \(report.index) of \(fixture.steps.count)") }
        }
        if let failure {
            log("FAILED at fixture step \(failure.index): \(failure.summary)")
            log("  \(failure.failure ?? "")")
        } else {
            // Nothing may arrive after the last expectation.
            try await Task.sleep(for: .milliseconds(500))
            let late = try await driver.takeFrames(expected: [:], ignoring: Self.ignoredFrameTypes)
                .mapValues { $0.filter { !Self.ignoredFrameTypes.contains($0["type"]?.string ?? "") } }.filter { !$0.value.isEmpty }
            if let (socket, frames) = late.min(by: { $0.key < $1.key }) {
                passed = false
                log("FAILED after the last step: socket \(socket) received \(FixtureValue.array(frames))")
            }
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        if driver.unansweredPosts > 0 {
            log("in flight at the kills: \(driver.unansweredPosts) posts never answered, \(driver.unansweredPostsStored) of them stored before the server died; each retried once")
        }
        log(passed ? "result: every answer, frame and history as the model says" : "result: FAILED")
        if passed { log("live steps/s: \(Int(Double(steps) / max(seconds, 0.001))) (\(String(format: "%.1f", seconds)) s)") }
        return Outcome(passed: passed, fixture: written)
    }

    /// `fixture` with frames of `types` neither expected nor compared, and (presence being one)
    /// without its lists of who is online.
    static func ignoring(_ types: Set<String>, in fixture: Fixture) -> Fixture {
        var fixture = fixture
        fixture.ignoredFrameTypes = types
        fixture.steps = fixture.steps.compactMap { step in
            if case .expectOnline = step.action, types.contains("presence") { return nil }
            guard case .expectFrames(let expected) = step.action else { return step }
            let kept = expected.mapValues { $0.filter { !types.contains($0["type"]?.string ?? "") } }.filter { !$0.value.isEmpty }
            return kept.isEmpty ? nil : FixtureStep(action: .expectFrames(kept))
        }
        return fixture
    }

    /// What a fixture checks.
    private struct Counts {
        var frames = 0
        var sockets = 0
        var requests = 0
        var histories = 0

        init(_ fixture: Fixture) {
            var names: Set<String> = []
            for step in fixture.steps {
                switch step.action {
                case .expectFrames(let expected):
                    frames += expected.values.reduce(0) { $0 + $1.count }
                case .expectHistory:
                    histories += 1
                case .connect(let socket, _, _):
                    names.insert(socket)
                    requests += 1
                case .expectOnline, .expectRooms, .advance, .restart, .disconnect, .drop:
                    break
                default:
                    requests += 1
                }
            }
            sockets = names.count
        }
    }
}
