import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `chat-server` this run started itself (`chat-sim explore --spawn-server`), on a database
/// file in a temporary directory of its own: it can be killed with SIGKILL, or stopped with
/// SIGTERM, and started again on the same database and port, as an operator's supervisor would.
final class ServerRestarter: Sendable {
    /// Where it listens (`http://127.0.0.1:PORT`).
    let base: String
    private let executable: URL
    private let arguments: [String]
    private let directory: URL
    private let process: Mutex<Process>
    private let output = Output()

    /// Starts `executable` with `arguments` (a database, a port and limits are added), on a
    /// fresh database in a new temporary directory.
    init(executable: URL, arguments: [String]) throws {
        directory = FileManager.default.temporaryDirectory.appending(path: "chat-sim-explore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.executable = executable
        let common = ["--db", directory.appending(path: "chat.sqlite").path, "--log-level", "warning"] + arguments
        let (process, port) = try Self.start(executable, common + ["--port", "0"], output: output)
        self.process = Mutex(process)
        self.arguments = common + ["--port", String(port)]
        base = "http://127.0.0.1:\(port)"
    }

    /// chat-server next to this executable (both are built into the same folder).
    static var siblingExecutable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appending(path: "chat-server")
    }

    /// Kills the server (SIGKILL, or SIGTERM for a graceful stop when `kill` is false), waits
    /// for it to exit, and starts it again on the same database and port; returns once it listens.
    func restart(kill: Bool) async throws {
        try await Self.offThePool { [self] in
            let old = process.withLock { $0 }
            Foundation.kill(old.processIdentifier, kill ? SIGKILL : SIGTERM)
            old.waitUntilExit()
            let (new, _) = try Self.start(executable, arguments, output: output)
            process.withLock { $0 = new }
        }
    }

    /// Stops the server (SIGTERM) and removes its database; returns what it printed on stderr.
    @discardableResult
    func stop() -> String {
        let current = process.withLock { $0 }
        if current.isRunning {
            current.terminate()
            current.waitUntilExit()
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

    /// What the server wrote on stderr, over all its starts.
    private final class Output: Sendable {
        private let collected = Mutex("")

        func append(_ text: String) { collected.withLock { $0 += text } }

        var text: String { collected.withLock { $0 } }
    }
}
