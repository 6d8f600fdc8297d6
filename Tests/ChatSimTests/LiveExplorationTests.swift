@testable import chat_sim
import ChatEngine
import ChatSimulation
import ChatStore
import ChatTestSupport
import Foundation
import Testing

/// `chat-sim explore --spawn-server`: the workload through a real chat-server's sockets and
/// REST, with sockets dropped and resumed and the server killed (SIGKILL) and restarted.
@Suite(.serialized) struct LiveExplorationTests {
    /// A seed whose 1 200 steps of 6 users hold drops and kills (checked below, not assumed).
    private static let exploration = LiveExploration(seed: 1, users: 6, steps: 1_200, dropsPerThousand: 20)

    @Test func aLiveRunWithDropsAndKillsMatchesTheModel() async throws {
        let schedule = LiveSchedule(
            seed: Self.exploration.seed, users: Self.exploration.users, steps: Self.exploration.steps,
            configuration: LiveExploration.configuration, faults: .init(dropsPerThousand: Self.exploration.dropsPerThousand, kills: true)
        )
        #expect(schedule.kills >= 2)
        #expect(schedule.drops.count >= 10)
        #expect(schedule.recoveredMessages > 0)
        #expect(schedule.inFlight.count == schedule.kills, "a post is in flight at every kill")

        let server = try ServerRestarter(executable: ServerRestarter.siblingExecutable, arguments: LiveExploration.serverArguments)
        var lines: [String] = []
        let outcome = try await Self.exploration.run(bases: server.bases, restarter: server) { lines.append($0) }
        let log = server.stop()
        #expect(outcome.passed, "\(lines.joined(separator: "\n"))\n\(log)")
        #expect(lines.contains { $0.hasPrefix("faults: \(schedule.drops.count) sockets dropped, \(schedule.kills) kills") })
        #expect(lines.contains { $0.hasPrefix("in flight at the kills: \(schedule.kills) posts never answered") })
        #expect(lines.contains("result: every answer, frame and history as the model says"))
    }

    /// Bugs planted in the server's engine (a debug chat-server's hidden `--planted-bug`) fail
    /// the run: one any client sees at once, and one that only a restart from the store shows.
    @Test(arguments: [PlantedBug.seqSkippedOnce, .memberRemovedFactMissing])
    func aBugPlantedInTheServerFailsTheRun(_ bug: PlantedBug) async throws {
        let server = try ServerRestarter(
            executable: ServerRestarter.siblingExecutable, arguments: LiveExploration.serverArguments + ["--planted-bug", bug.rawValue]
        )
        var lines: [String] = []
        let outcome = try await Self.exploration.run(bases: server.bases, restarter: server) { lines.append($0) }
        server.stop()
        #expect(!outcome.passed)
        #expect(lines.contains { $0.hasPrefix("FAILED at fixture step") }, "\(lines)")
    }

    /// Three nodes on one PostgreSQL database, requests and sockets spread over them, one node
    /// killed (SIGKILL) in turn at each restart step: every answer, frame and history holds; and a
    /// bug planted in every node's engine fails the run.
    @Test(.enabled(if: PostgresTestServer.url != nil, "CHAT_TEST_POSTGRES_URL is unset: the cluster runs are skipped"),
          arguments: [nil, PlantedBug.seqSkippedOnce])
    func threeNodesWithOneKilledInTurnMatchTheModel(_ bug: PlantedBug?) async throws {
        try await ScratchDatabase.withFresh(on: try #require(PostgresTestServer.url), prefix: "chat_test") { database in
            let servers = try ServerRestarter(
                executable: ServerRestarter.siblingExecutable, arguments: LiveExploration.serverArguments + (bug.map { ["--planted-bug", $0.rawValue] } ?? []),
                nodes: 3, database: database)
            var lines: [String] = []
            let outcome = try await Self.exploration.run(bases: servers.bases, restarter: servers) { lines.append($0) }
            let log = servers.stop()
            if bug == nil {
                #expect(outcome.passed, "\(lines.joined(separator: "\n"))\n\(log)")
                #expect(lines.contains { $0.contains("kills (SIGKILL of one node in turn") })
            } else {
                #expect(!outcome.passed)
                #expect(lines.contains { $0.hasPrefix("FAILED at fixture step") }, "\(lines)")
            }
        }
    }

    /// The run checks the server: one that is not fresh (its users already registered) fails at
    /// the first registration, with the server's own message.
    @Test func aServerThatDisagreesFailsTheRun() async throws {
        let server = try ServerRestarter(executable: ServerRestarter.siblingExecutable, arguments: LiveExploration.serverArguments)
        defer { server.stop() }
        let small = LiveExploration(seed: 1, users: 4, steps: 50, dropsPerThousand: 0)
        let first = try await small.run(bases: server.bases, restarter: nil) { _ in }
        #expect(first.passed)
        var lines: [String] = []
        let second = try await small.run(bases: server.bases, restarter: nil) { lines.append($0) }
        #expect(!second.passed)
        #expect(lines.contains("  expected success, got error \"A user with that username already exists\""), "\(lines)")
    }
}
