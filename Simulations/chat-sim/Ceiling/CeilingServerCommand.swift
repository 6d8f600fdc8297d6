import ArgumentParser
import Foundation
import NIOCore

/// `chat-sim ceiling-server`: the minimal broadcast server `load --ceiling` compares chat-server
/// with, on its own (for profiling it, or loading it by hand).
struct CeilingServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ceiling-server",
        abstract: "Serve chat-server's seed socket URLs and frames with no storage and no rules: the reference for load --ceiling."
    )

    @Option(help: "Address to listen on (loopback).")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 0

    @Option(help: "Event loop threads (default: one per core but one, as chat-server).")
    var threads = max(1, System.coreCount - 1)

    func validate() throws {
        guard threads > 0 else { throw ValidationError("--threads must be positive") }
    }

    func run() async throws {
        try await CeilingServer(host: host, port: port, threads: threads).run { port in
            // Written straight to the file descriptor: load --ceiling waits for this line on a pipe.
            FileHandle.standardOutput.write(Data("ceiling-server listening on http://\(host):\(port)\n".utf8))
        }
    }
}
