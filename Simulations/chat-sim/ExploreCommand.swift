import ArgumentParser
import ChatEngine
import ChatFixtures
import ChatService
import ChatSimulation
import ChatStore
import Foundation

/// `chat-sim explore --seed N --users U --steps S`: a seeded random workload on the engine,
/// checked after every step against an independent reference model; a failure is shrunk and
/// can be saved as a fixture. With `--server URL` or `--spawn-server`, the same workload runs
/// through a live chat-server's sockets and REST, with faults (``LiveExploration``).
struct ExploreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Explore the engine with random virtual users and check every invariant after every step.",
        discussion: """
            In-process by default. Live: --server URL (a fresh server: the run registers its own users;
            start it with --bcrypt-cost 4 --send-rate 1000000 --send-burst 1000000) or --spawn-server
            (chat-sim starts chat-server on a temporary database, and kills and restarts it mid-run).
            --through-service: the live workload as fixtures through ChatService in-process, a failure
            caught at its shortest failing prefix and shrunk.
            """
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

    @Option(help: "Live: the base URL of a fresh chat-server (e.g. http://127.0.0.1:8000) to run the workload through.")
    var server: String?

    @Flag(help: "Live: start chat-server (next to chat-sim, or --chat-server) on a temporary database, and kill it (SIGKILL) and restart it at the workload's restart steps.")
    var spawnServer = false

    @Option(help: "Live, with --spawn-server: the chat-server executable.")
    var chatServer: String?

    @Option(help: "Live, with --spawn-server: how many chat-server nodes to start on one PostgreSQL database (--db); requests and sockets go to them in turn, and restarts kill them in turn.")
    var nodes = 1

    @Option(help: "Live, with --spawn-server: a PostgreSQL server (postgres://user@host:port/db, a role that may create databases) on which the run makes a database of its own and drops it afterwards; SQLite when absent.")
    var db: String?

    @Flag(help: "Run the live workload in-process through ChatService (not the engine alone): a failure is caught at its shortest failing prefix and shrunk.")
    var throughService = false

    @Option(help: "Live: sockets dropped (and resumed later with after_seq) per 1 000 steps.")
    var dropsPerThousand = 5

    #if DEBUG
    @Option(help: "Debug builds only: plant one of the engine's bugs (\(PlantedBug.allCases.map(\.rawValue).joined(separator: ", "))); with --spawn-server, in the server it starts (a debug chat-server).")
    var plantedBug: PlantedBug?

    @Option(help: "Debug builds only, with --through-service: plant one of the service's bugs (\(ServicePlantedBug.allCases.map(\.rawValue).joined(separator: ", "))).")
    var plantedServiceBug: ServicePlantedBug?
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

    /// The arguments that plant the bug of a debug build in a server the run starts.
    private var plantedBugArguments: [String] {
        #if DEBUG
        return plantedBug.map { ["--planted-bug", $0.rawValue] } ?? []
        #else
        return []
        #endif
    }

    func validate() throws {
        if server != nil, spawnServer { throw ValidationError("--server and --spawn-server exclude each other") }
        if throughService, server != nil || spawnServer { throw ValidationError("--through-service runs in-process: not with --server or --spawn-server") }
        if nodes < 1 { throw ValidationError("--nodes must be at least 1") }
        if nodes > 1 || db != nil, !spawnServer { throw ValidationError("--nodes and --db go with --spawn-server") }
        if nodes > 1, db == nil { throw ValidationError("several nodes share a PostgreSQL database: give --db postgres://…") }
        if !(0...1_000).contains(dropsPerThousand) { throw ValidationError("--drops-per-thousand must be in 0...1000") }
        if users < 2 { throw ValidationError("--users must be at least 2") }
        if steps < 0 { throw ValidationError("--steps must not be negative") }
        #if DEBUG
        if plantedBug != nil, server != nil { throw ValidationError("--planted-bug plants in-process, or with --spawn-server in the server it starts") }
        if plantedServiceBug != nil, !throughService { throw ValidationError("--planted-service-bug needs --through-service") }
        #endif
    }

    func run() async throws {
        if server != nil || spawnServer { return try await runLive() }
        if throughService { return try await runThroughService() }
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

    private func runThroughService() async throws {
        let exploration = ServiceExploration(seed: seed, users: users, steps: steps, dropsPerThousand: dropsPerThousand, configuration: LiveExploration.configuration)
        #if DEBUG
        let bug = plantedServiceBug
        let adjusting: @Sendable (inout ServiceConfiguration) -> Void = { $0.plantedBug = bug }
        #else
        let adjusting: @Sendable (inout ServiceConfiguration) -> Void = { _ in }
        #endif
        print("through the service: seed \(seed), \(users) users, \(steps) steps, \(dropsPerThousand) drops per 1 000")
        guard let finding = try await exploration.run(adjusting: adjusting) else {
            print("result: every fixture step as the model says")
            return
        }
        print("FAILED within \(finding.caughtAt) steps: \(finding.failure)")
        print("shrunk from \(finding.caughtAt) to \(finding.shrunk.count) steps (\(finding.fixture.steps.count) fixture steps):")
        for (index, step) in finding.shrunk.enumerated() { print("  \(index + 1). \(step)") }
        if let saveFailure {
            try finding.fixture.json.write(to: URL(filePath: saveFailure), atomically: true, encoding: .utf8)
            print("wrote it to \(saveFailure)")
        }
        throw ExitCode.failure
    }

    private func runLive() async throws {
        guard spawnServer, let db else { return try await runLive(database: nil) }
        try await ScratchDatabase.withFresh(on: db, prefix: "chat_sim_explore") { database in try await runLive(database: database) }
    }

    /// Runs the live exploration against `server`, or against nodes it starts on `database` (a
    /// PostgreSQL URL) or on a temporary SQLite file.
    private func runLive(database: String?) async throws {
        let exploration = LiveExploration(seed: seed, users: users, steps: steps, dropsPerThousand: dropsPerThousand)
        var restarter: ServerRestarter?
        if spawnServer {
            let executable = chatServer.map { URL(fileURLWithPath: $0) } ?? ServerRestarter.siblingExecutable
            restarter = try ServerRestarter(
                executable: executable, arguments: LiveExploration.serverArguments + plantedBugArguments, nodes: nodes, database: database)
        }
        let outcome: LiveExploration.Outcome
        do {
            outcome = try await exploration.run(bases: server.map { [$0] } ?? restarter!.bases, restarter: restarter) { print($0) }
        } catch {
            if let restarter { print("chat-server's log:\n\(restarter.stop())") }
            throw error
        }
        let log = restarter?.stop() ?? ""
        guard !outcome.passed else { return }
        if !log.isEmpty { print("chat-server's log:\n\(log)") }
        if let saveFailure {
            try outcome.fixture.json.write(to: URL(filePath: saveFailure), atomically: true, encoding: .utf8)
            print("wrote the run (\(outcome.fixture.steps.count) fixture steps) to \(saveFailure): `chat-sim replay \(saveFailure)` replays it in-process")
        }
        throw ExitCode.failure
    }
}

#if DEBUG
extension PlantedBug: ExpressibleByArgument {}
extension ServicePlantedBug: ExpressibleByArgument {}
#endif
