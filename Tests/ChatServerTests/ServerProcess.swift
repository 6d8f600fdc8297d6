import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real `chat-server` executable, started on a free loopback port.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let output: Pipe
    private let errors: Pipe

    /// Where `swift build` put the executable: next to the test bundle.
    static var executable: URL {
        var directory = URL(filePath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appending(path: "chat-server").path), directory.pathComponents.count > 1 {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appending(path: "chat-server")
    }

    /// Starts the server and waits (on a thread of its own, off Swift's cooperative pool) until
    /// it prints the address it listens on.
    static func start(arguments: [String]) async throws -> ServerProcess {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try ServerProcess(arguments: arguments) }) }.start()
        }
    }

    private init(arguments: [String]) throws {
        process.executableURL = Self.executable
        process.arguments = ["--port", "0", "--bcrypt-cost", "4", "--send-rate", "100000", "--send-burst", "100000", "--log-level", "warning"] + arguments
        output = Pipe()
        errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        var line = ""
        while !line.contains("\n") {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { throw ServerProcessError.exited(stderr: String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)) }
            line += String(decoding: data, as: UTF8.self)
        }
        // "chat-server listening on http://127.0.0.1:PORT"
        guard let port = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) else {
            throw ServerProcessError.noAddress(line)
        }
        self.port = port
    }

    /// Runs the executable to completion (for start-up failures); returns its exit code and stderr.
    static func runToExit(arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    var base: String { "http://127.0.0.1:\(port)" }

    /// `kill -9`.
    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Sends a signal and waits for the exit status.
    func stop(signal: Int32) -> Int32 {
        Foundation.kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Sends a signal and waits up to `seconds` for the exit status; nil (after a `kill -9`) when
    /// the server was still running by then.
    func stop(signal: Int32, within seconds: Double) -> Int32? {
        Foundation.kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        guard !process.isRunning else {
            kill()
            return nil
        }
        return process.terminationStatus
    }

    /// An HTTP request; returns the status and the body.
    func request(_ method: String, _ path: String, token: String? = nil, json: String? = nil) async throws -> TestReply {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = Data(json.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return TestReply(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: String(decoding: data, as: UTF8.self))
    }

    /// Registers and logs in; returns the token.
    func user(_ name: String) async throws -> String {
        _ = try await request("POST", "/api/register", json: #"{"username":"\#(name)","password":"password1"}"#)
        return try await request("POST", "/api/login", json: #"{"username":"\#(name)","password":"password1"}"#)["token"] as? String ?? ""
    }

    deinit {
        if process.isRunning { kill() }
    }

    enum ServerProcessError: Error {
        case exited(stderr: String)
        case noAddress(String)
    }
}
