import Foundation

/// The ceiling server as a child process of `chat-sim load --ceiling`: this same executable
/// run as `chat-sim ceiling-server --port 0`, so that its CPU time and memory are its own, as
/// chat-server's are.
final class CeilingProcess {
    let process: Process
    /// Where it listens.
    let target: LoadTarget

    /// Starts it and waits (up to 30 s) for the line that gives its port.
    init() throws {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let process = Process()
        process.executableURL = executable
        process.arguments = ["ceiling-server", "--port", "0"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        self.process = process
        let prefix = "ceiling-server listening on "
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while !text.contains("\n"), Date() < deadline {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first, line.hasPrefix(prefix) else {
            process.terminate()
            throw LoadError("the ceiling server did not start (it printed: \(text))")
        }
        target = try LoadTarget(url: String(line.dropFirst(prefix.count)))
    }

    /// Its process id.
    var pid: Int { Int(process.processIdentifier) }

    /// Stops it.
    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
