import ArgumentParser
import Foundation

/// `chat-sim load --server URL`: a load generator against a live chat-server on this machine.
///
/// It registers and logs in users over REST, opens `--sockets` WebSockets spread over `--rooms`
/// public rooms (`/ws/chat/<prefix>-<n>/`), waits until every socket is subscribed, measures the
/// server's memory per idle socket, then sends at `--rate` messages/s (or, with rate 0, each
/// sender keeping `--window` messages in flight: it sends again as its own come back, once per read) for `--duration` seconds or `--messages`
/// messages, and reports latency percentiles, throughput, errors and every lost or duplicated
/// delivery.
///
/// Start the server so that registration is cheap and the per-user send limit does not apply:
/// `chat-server --db :memory: --bcrypt-cost 4 --send-rate 1000000 --send-burst 1000000`
/// (and `ulimit -n 20000` in its shell for 10 000 sockets).
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load a live chat-server over loopback and report latency, throughput, losses and memory.",
        discussion: """
            Start the server with cheap passwords and no practical send limit, e.g.
              chat-server --db :memory: --bcrypt-cost 4 --send-rate 1000000 --send-burst 1000000
            Only loopback servers are accepted. Exit status 1 when a message was lost, duplicated,
            inconsistent or unacknowledged, or a socket failed.
            """
    )

    @Option(help: "Base URL of the server; loopback only (e.g. http://127.0.0.1:8000).")
    var server: String

    @Option(name: .customLong("node"), help: "Another node of the same cluster (repeatable; loopback): socket i connects to node i mod (1 + nodes), --server being node 0; latencies between a sender and a receiver on different nodes are also reported on their own.")
    var nodes: [String] = []

    @Option(help: "The server's process id, to report its resident memory (VmRSS) and CPU time.")
    var serverPid: Int?

    @Option(help: "WebSockets to open.")
    var sockets = 1_000

    @Option(help: "Public rooms the sockets are spread over (socket i joins room i mod rooms).")
    var rooms = 10

    @Option(help: "Sockets per room that send (the room's first ones).")
    var sendersPerRoom = 1

    @Option(help: "Distinct users (socket i is user i mod users); default: one per socket.")
    var users: Int?

    @Option(help: "Target messages per second over all senders; 0: each sender sends again when its own message comes back.")
    var rate: Double = 0

    @Option(help: "With --rate 0: messages each sender keeps in flight (sent, its own frame not back yet).")
    var window = 1

    @Option(help: "Seconds of sending (0 with no --messages: connect, measure idle memory, hold, and stop).")
    var duration: Double = 10

    @Option(help: "Stop after this many messages (whichever of this and --duration comes first).")
    var messages: Int?

    @Option(help: "Seconds to hold the idle sockets open (after measuring idle memory) before sending.")
    var hold: Double = 0

    @Option(help: "Seconds to wait after every socket is subscribed before reading idle memory.")
    var settle: Double = 2

    @Option(help: "Seconds to wait for outstanding deliveries after sending stops.")
    var drain: Double = 10

    @Option(help: "Event loop threads of the client (one NIO event loop group). With at least as many rooms as threads, a room's sockets share a loop; with fewer, every room's sockets are spread over all of them.")
    var threads = 1

    @Option(help: "Sockets being connected at once.")
    var connectConcurrency = 200

    @Flag(help: "Then run the same plan against a minimal broadcast server (NIO, no storage, no rules) that chat-sim starts itself, and give the server's figures as a fraction of it.")
    var ceiling = false

    @Option(help: "Prefix of room names (rooms are <prefix>-0, <prefix>-1, …).")
    var roomPrefix = "load"

    @Option(help: "Prefix of usernames (users are <prefix>0, <prefix>1, …).")
    var userPrefix = "load"

    @Option(help: "Password of every load user.")
    var password = "load-password"

    func validate() throws {
        guard sockets > 0, rooms > 0, rooms <= sockets else { throw ValidationError("need 1 ≤ --rooms ≤ --sockets") }
        guard sendersPerRoom >= 0, sendersPerRoom <= sockets / rooms else { throw ValidationError("--senders-per-room must be between 0 and sockets/rooms") }
        guard (users ?? 1) > 0, (users ?? 0) <= sockets else { throw ValidationError("--users must be between 1 and --sockets") }
        guard window >= 1 else { throw ValidationError("--window must be at least 1") }
        guard rate >= 0, duration >= 0, hold >= 0, settle >= 0, drain >= 0 else { throw ValidationError("rates and times must not be negative") }
        guard (messages ?? 0) >= 0 else { throw ValidationError("--messages must not be negative") }
        guard threads > 0, connectConcurrency > 0 else { throw ValidationError("--threads and --connect-concurrency must be positive") }
        _ = try LoadTarget(url: server)
        for node in nodes { _ = try LoadTarget(url: node) }
        if ceiling, !nodes.isEmpty { throw ValidationError("--ceiling compares one server; not with --node") }
    }

    func run() async throws {
        #if DEBUG
        print("warning: a debug build; build chat-sim with -c release for real figures")
        #endif
        let plan = LoadPlan(
            target: try LoadTarget(url: server), otherNodes: try nodes.map(LoadTarget.init(url:)), serverPID: serverPid, sockets: sockets, rooms: rooms,
            sendersPerRoom: sendersPerRoom, users: users ?? sockets, rate: rate, window: window, duration: duration, messages: messages,
            hold: hold, settle: settle, drain: drain, threads: threads, connectConcurrency: connectConcurrency,
            roomPrefix: roomPrefix, userPrefix: userPrefix, password: password
        )
        let commandLine = CommandLine.arguments.joined(separator: " ")
        print("chat-sim load: \(commandLine)")
        let result = try await LoadRun(plan: plan).run()
        LoadReport(commandLine: commandLine, plan: plan, result: result).print()
        var passed = result.passed
        if ceiling {
            let reference = try CeilingProcess()
            defer { reference.stop() }
            var ceilingPlan = plan
            ceilingPlan.target = reference.target
            ceilingPlan.serverPID = reference.pid
            print("\nthe same plan against the ceiling server (pid \(reference.pid)) at \(reference.target.base)")
            let ceilingResult = try await LoadRun(plan: ceilingPlan).run()
            LoadReport(commandLine: commandLine + "  [ceiling server]", plan: ceilingPlan, result: ceilingResult).print()
            if plan.sends { LoadReport.printComparison(server: result, ceiling: ceilingResult) }
            passed = passed && ceilingResult.passed
        }
        if !passed { throw ExitCode.failure }
    }
}

/// Where the server is: a loopback host and a port (anything else is refused).
struct LoadTarget: Sendable {
    let host: String
    let port: Int

    init(url: String) throws {
        guard let components = URLComponents(string: url), components.scheme == "http", let host = components.host else {
            throw ValidationError("--server must be an http:// URL, e.g. http://127.0.0.1:8000")
        }
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        guard bare == "localhost" || bare == "::1" || bare.hasPrefix("127.") else {
            throw ValidationError("--server must be on loopback (127.0.0.0/8, ::1 or localhost), not \(host)")
        }
        self.host = bare == "localhost" ? "127.0.0.1" : bare
        self.port = components.port ?? 80
    }

    /// The REST base URL.
    var base: String { host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)" }
}

/// Everything a run is asked to do.
struct LoadPlan: Sendable {
    var target: LoadTarget
    /// The cluster's other nodes (none for one server).
    var otherNodes: [LoadTarget] = []
    var serverPID: Int?
    let sockets: Int
    let rooms: Int
    let sendersPerRoom: Int
    let users: Int
    let rate: Double
    /// With rate 0, the messages each sender keeps in flight.
    let window: Int
    let duration: Double
    let messages: Int?
    let hold: Double
    let settle: Double
    let drain: Double
    let threads: Int
    let connectConcurrency: Int
    let roomPrefix: String
    let userPrefix: String
    let password: String

    /// Whether the run sends at all.
    var sends: Bool { sendersPerRoom > 0 && (duration > 0 || (messages ?? 0) > 0) && messages != 0 }
    /// How many nodes the sockets are spread over.
    var nodeCount: Int { 1 + otherNodes.count }
    /// The node socket `index` connects to (0 is ``target``).
    func node(ofSocket index: Int) -> Int { index % nodeCount }
    /// Where socket `index` connects.
    func target(ofSocket index: Int) -> LoadTarget { node(ofSocket: index) == 0 ? target : otherNodes[node(ofSocket: index) - 1] }
    /// Room of socket `index`.
    func room(ofSocket index: Int) -> Int { index % rooms }
    /// Whether socket `index` sends (the first `sendersPerRoom` sockets of each room).
    func isSender(_ index: Int) -> Bool { index / rooms < sendersPerRoom }
    /// The event loop of socket `index`: its room's, while there are at least as many rooms as
    /// loops (a room's accounting stays on one loop); otherwise a room's sockets take the loops
    /// in turn, each room starting one loop further (so that rooms' first senders differ), and
    /// one room can use every loop.
    func loop(ofSocket index: Int) -> Int {
        let room = room(ofSocket: index)
        return rooms >= threads ? room % threads : (index / rooms + room) % threads
    }
    /// The name of room `room`.
    func roomName(_ room: Int) -> String { "\(roomPrefix)-\(room)" }
    /// The username of user `user`.
    func username(_ user: Int) -> String { "\(userPrefix)\(user)" }
    /// Distinct users among the sockets of room `room`.
    func distinctUsers(inRoom room: Int) -> Int {
        Set(stride(from: room, to: sockets, by: rooms).map { $0 % users }).count
    }
}
