import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The `chat-server` nodes this run started itself (`chat-sim explore --spawn-server`): one on a
/// database file in a temporary directory of its own, or several on one PostgreSQL database.
/// A node can be killed with SIGKILL, or stopped with SIGTERM, and started again on the same
/// database and port, as an operator's supervisor would; restarts take the nodes in turn.
final class ServerRestarter: Sendable {
    /// Where the nodes listen (`http://127.0.0.1:PORT`).
    let bases: [String]
    private let executable: URL
    private let arguments: [[String]]
    private let directory: URL
    private let processes: Mutex<[Process]>
    private let restarts = Atomic<Int>(0)
    private let output = Output()

    /// Starts `nodes` copies of `executable` with `arguments` (a database, a port and limits are
    /// added): on `database` (a PostgreSQL URL, which several nodes share), or on a fresh SQLite
    /// file in a new temporary directory (one node).
    init(executable: URL, arguments: [String], nodes: Int = 1, database: String? = nil) throws {
        precondition(nodes == 1 || database != nil, "several nodes share a PostgreSQL database")
        directory = FileManager.default.temporaryDirectory.appending(path: "chat-sim-explore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.executable = executable
        let common = ["--db", database ?? directory.appending(path: "chat.sqlite").path, "--log-level", "warning"] + arguments
        var processes: [Process] = []
        var withPorts: [[String]] = []
        var bases: [String] = []
        for _ in 0..<nodes {
            let (process, port) = try Self.start(executable, common + ["--port", "0"], output: output)
            processes.append(process)
            withPorts.append(common + ["--port", String(port)])
            bases.append("http://127.0.0.1:\(port)")
        }
        self.processes = Mutex(processes)
        self.arguments = withPorts
        self.bases = bases
    }

    /// chat-server next to this executable (both are built into the same folder).
    static var siblingExecutable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appending(path: "chat-server")
    }

    /// The base of the node the next ``restart(kill:)`` takes.
    var nextToRestart: String { bases[restarts.load(ordering: .relaxed) % bases.count] }

    /// Kills the next node (SIGKILL, or SIGTERM for a graceful stop when `kill` is false), waits
    /// for it to exit, and starts it again on the same database and port; returns once it listens.
    func restart(kill: Bool) async throws {
        let node = restarts.add(1, ordering: .relaxed).oldValue % bases.count
        try await Self.offThePool { [self] in
            let old = processes.withLock { $0[node] }
            Foundation.kill(old.processIdentifier, kill ? SIGKILL : SIGTERM)
            old.waitUntilExit()
            let (new, _) = try Self.start(executable, arguments[node], output: output)
            processes.withLock { $0[node] = new }
        }
    }

    /// Stops every node (SIGTERM) and removes the temporary directory; returns what they printed
    /// on stderr.
    @discardableResult
    func stop() -> String {
        for process in processes.withLock({ $0 }) where process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
        return output.text
    }

    /// Starts the executable and waits until it prints the address it listens on (up to 60 s);
    /// its stderr is collected into `output`.
    private static func start(_ executable: URL, _ arguments: [String], output: Output) throws -> (Process, Int) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let standardOutput = Pipe()
        let standardError = Pipe()
        process.standardOutput = standardOutput
        process.standardError = standardError
        standardError.fileHandleForReading.readabilityHandler = { handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            output.append(text)
        }
        try process.run()
        var line = ""
        let deadline = Date().addingTimeInterval(60)
        while !line.contains("\n"), Date() < deadline {
            let data = standardOutput.fileHandleForReading.availableData
            if data.isEmpty { break }
            line += String(decoding: data, as: UTF8.self)
        }
        // "chat-server listening on http://127.0.0.1:PORT"
        guard line.contains("listening on"), let port = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) else {
            process.terminate()
            throw LoadError("chat-server did not start (\(executable.path) \(arguments.joined(separator: " "))): \(line)\(output.text)")
        }
        return (process, port)
    }

    /// Runs blocking process work on a thread of its own, off Swift's cooperative pool.
    private static func offThePool(_ body: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    /// What the servers wrote on stderr, over all their starts.
    private final class Output: Sendable {
        private let collected = Mutex("")

        func append(_ text: String) { collected.withLock { $0 += text } }

        var text: String { collected.withLock { $0 } }
    }
}
