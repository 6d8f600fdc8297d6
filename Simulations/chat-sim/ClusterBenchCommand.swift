import ArgumentParser
import ChatEngine
import ChatProtocol
import ChatService
import ChatStore
import Foundation

/// `chat-sim bench cluster --db URL`: how far the cluster's one ordering point goes. Sends through
/// services in this process, each a node with its own PostgreSQL store on one fresh database,
/// writers spread over the nodes: messages stored per second and send latency, with 1, 16 and
/// 256 writers, on one node and on several.
struct ClusterBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Measure the cluster's ordering point: sends/s through 1 node and through several on one PostgreSQL database."
    )

    @Option(help: "A PostgreSQL server (postgres://user@host:port/db, a role that may create databases); each run gets a new database, dropped afterwards.")
    var db: String

    @Option(help: "Nodes of the cluster run (beside the one-node run).")
    var nodes = 3

    @Option(help: "Messages sent per writer-count run.")
    var messages = 20_000

    func validate() throws {
        do {
            _ = try PostgresURL(db)
        } catch {
            throw ValidationError(error.message)
        }
        guard nodes >= 2 else { throw ValidationError("--nodes must be at least 2") }
        guard messages >= 256 else { throw ValidationError("--messages must be at least 256") }
    }

    func run() async throws {
        #if DEBUG
        print("warning: a debug build; run `swift run -c release chat-sim bench cluster` for real figures")
        #endif
        print("chat-sim bench cluster (PostgreSQL \(try await StoreBenchTarget.serverVersion(db)) at \(try PostgresURL(db).redacted); \(messages) messages per run, each writer its own room)")
        print("nodes   writers     sends/s   send p50   send p99   vs 1 node")
        for writers in [1, 16, 256] {
            var reference: Double?
            for count in [1, nodes] {
                let figures = try await ScratchDatabase.withFresh(on: db, prefix: "chat_bench") { url in
                    try await Self.sends(nodes: count, writers: writers, messages: messages, url: url)
                }
                let ratio = reference.map { String(format: "%.2f×", figures.perSecond / $0) } ?? ""
                reference = reference ?? figures.perSecond
                print(
                    String(count).leftPadding(5), String(writers).leftPadding(9), figures.perSecond.grouped.leftPadding(11),
                    figures.p50.millisecondsText.leftPadding(10), figures.p99.millisecondsText.leftPadding(10), ratio.leftPadding(11)
                )
            }
        }
    }

    /// `writers` tasks (writer w on node w mod `nodes`, in a room of its own) send one message
    /// at a time until `messages` are stored.
    private static func sends(nodes count: Int, writers: Int, messages: Int, url: String) async throws -> StoreBenchmark.Appends {
        var configuration = ServiceConfiguration()
        configuration.sendRatePerSecond = 1_000_000
        configuration.sendBurst = 1_000_000
        var nodes: [(service: ChatService, store: PostgresChatStore)] = []
        for _ in 0..<count {
            let store = try await PostgresChatStore(url: url, logger: ScratchDatabase.quiet)
            let service = try await ChatService(
                store: store, configuration: configuration, passwords: FastPasswordHasher(), outbox: MemoryOutbox(), logger: ScratchDatabase.quiet)
            nodes.append((service, store))
        }
        let measured: Result<StoreBenchmark.Appends, any Error>
        do {
            measured = .success(try await sends(through: nodes.map(\.service), writers: writers, messages: messages))
        } catch {
            measured = .failure(error)
        }
        for node in nodes {
            await node.service.leaveCluster(releasingLease: true)
            await node.store.close()
        }
        return try measured.get()
    }

    private static func sends(through nodes: [ChatService], writers: Int, messages: Int) async throws -> StoreBenchmark.Appends {
        var senders: [(node: ChatService, user: UserID, room: Int64)] = []
        for writer in 0..<writers {
            let node = nodes[writer % nodes.count]
            let user = try await node.register(RegisterRequest(username: "writer\(writer)", password: "password1"))
            let room = try await node.createRoom(by: UserID(user.id), CreateRoomRequest(name: "room\(writer)", kind: "public"))
            senders.append((node, UserID(user.id), room.id))
        }
        let perWriter = messages / writers
        let clock = ContinuousClock()
        let start = clock.now
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for sender in senders {
                group.addTask {
                    var latencies: [Duration] = []
                    latencies.reserveCapacity(perWriter)
                    for index in 0..<perWriter {
                        let begin = clock.now
                        _ = try await sender.node.send(by: sender.user, SendMessageRequest(roomID: sender.room, message: "message \(index)"))
                        latencies.append(clock.now - begin)
                    }
                    return latencies
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }.sorted()
        let elapsed = clock.now - start
        return StoreBenchmark.Appends(
            perSecond: Double(latencies.count) / elapsed.seconds, p50: latencies[latencies.count / 2], p99: latencies[latencies.count * 99 / 100])
    }
}
