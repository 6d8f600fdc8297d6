import ArgumentParser
import ChatEngine
import ChatServer
import ChatStore
import Foundation
import Logging
import NIOCore

/// `chat-server`: the chat's HTTP and WebSocket server.
@main
struct ChatServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat-server",
        abstract: "Serve the chat over HTTP and WebSockets, storing everything in SQLite or PostgreSQL."
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8000

    @Option(help: "SQLite database file, created when absent; ':memory:' keeps nothing; or a PostgreSQL database: postgres://user[:password]@host[:port]/database.")
    var db = "./chat.sqlite"

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    @Option(help: "bcrypt cost for new password hashes (4-31).")
    var bcryptCost: UInt8 = 12

    @Option(help: "Milliseconds a typing indicator lasts without a new typing frame.")
    var typingTimeout: Int64 = 5_000

    @Option(help: "Days a login token works.")
    var tokenDays = 30

    @Option(help: "Durability of SQLite commits: normal (survives kill -9) or full (survives power loss).")
    var durability: Durability = .normal

    @Option(help: "Messages a user may send per second, on average.")
    var sendRate = 20.0

    @Option(help: "Messages a user may send in a burst.")
    var sendBurst = 40.0

    @Option(help: "Frames a socket may have queued before it is closed as too slow.")
    var outboundQueueLimit = 4_096

    @Option(help: "Milliseconds a socket may be silent before it is pinged; silent as long again, it is dropped.")
    var socketPingInterval: Int64 = 30_000

    @Option(help: "With a PostgreSQL database shared by several nodes: milliseconds within which the others clear the presence of a node that died (its lease).")
    var nodeLease: Int64 = 6_000

    @Option(name: .customLong("allowed-origin"), help: "A browser origin allowed to open sockets (repeatable); default: the server's own host.")
    var allowedOrigins: [String] = []

    @Option(help: "Folder of the browser client served at / (default: the client shipped with the server).")
    var webRoot: String?

    @Option(help: "Event loop threads serving sockets and HTTP (default: one per core but one, leaving a core to the store's committer).")
    var eventLoops = EventLoops.default()

    #if DEBUG
    @Option(help: ArgumentHelp("Debug builds only: plant one of the engine's bugs, for the explorer's live tests.", visibility: .hidden))
    var plantedBug: PlantedBug?
    #endif

    func validate() throws {
        guard (4...31).contains(bcryptCost) else { throw ValidationError("--bcrypt-cost must be between 4 and 31") }
        guard typingTimeout > 0 else { throw ValidationError("--typing-timeout must be positive") }
        guard tokenDays > 0 else { throw ValidationError("--token-days must be positive") }
        guard sendRate > 0, sendBurst >= 1 else { throw ValidationError("--send-rate must be positive and --send-burst at least 1") }
        guard outboundQueueLimit > 0 else { throw ValidationError("--outbound-queue-limit must be positive") }
        guard socketPingInterval > 0 else { throw ValidationError("--socket-ping-interval must be positive") }
        guard nodeLease >= 300 else { throw ValidationError("--node-lease must be at least 300 milliseconds") }
        guard (1...1_024).contains(eventLoops) else { throw ValidationError("--event-loops must be between 1 and 1024") }
        if let webRoot {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: webRoot, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("--web-root \(webRoot) is not a folder")
            }
        }
    }

    func run() async throws {
        // Before anything uses NIO's shared event loops (the server, PostgreSQL's client).
        NIOSingletons.groupLoopCountSuggestion = eventLoops
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.databasePath = db
        configuration.durability = durability
        configuration.engine.typingTimeout = typingTimeout
        #if DEBUG
        configuration.engine.plantedBug = plantedBug
        #endif
        configuration.bcryptCost = bcryptCost
        configuration.tokenLifetime = Int64(tokenDays) * 24 * 3_600_000
        configuration.sendRatePerSecond = sendRate
        configuration.sendBurst = sendBurst
        configuration.outboundQueueLimit = outboundQueueLimit
        configuration.socketPingInterval = socketPingInterval
        configuration.allowedOrigins = allowedOrigins
        configuration.nodeLease = .milliseconds(nodeLease)
        configuration.webRoot = webRoot
        let server: ChatServer
        do {
            server = try await ChatServer(configuration: configuration, logger: Logger(label: "chat-server"))
        } catch let error as StoreError {
            // A database this build must not touch: say which and why, and exit non-zero.
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode.failure
        }
        try await server.run { address in
            // Written straight to the file descriptor: scripts wait for this line on a pipe.
            FileHandle.standardOutput.write(Data("chat-server listening on http://\(address)\n".utf8))
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
extension Durability: ExpressibleByArgument {}

#if DEBUG
extension PlantedBug: ExpressibleByArgument {}
#endif
