import ArgumentParser
import ChatEngine
import ChatStore
import Foundation

/// `chat-sim bench store`: durable appends, commit latency, history reads and restart time
/// of the SQLite store, in a temporary directory.
struct StoreBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Measure the SQLite store: group-committed appends, history reads, restart."
    )

    @Option(help: "Messages appended per writer-count run.")
    var messages = 100_000

    @Option(help: "Messages in the database for the restart measurement.")
    var restartMessages = 1_000_000

    @Option(help: "Durability: normal (survives kill -9) or full (survives power loss).")
    var durability: String = "normal"

    @Option(help: "Directory for the temporary databases.")
    var directory = FileManager.default.temporaryDirectory.path

    func run() async throws {
        guard let durability = Durability(rawValue: durability) else {
            throw ValidationError("--durability must be normal or full")
        }
        #if DEBUG
        print("warning: a debug build; run `swift run -c release chat-sim bench store` for real figures")
        #endif
        let bench = StoreBenchmark(directory: directory, durability: durability)
        print("chat-sim bench store (durability \(durability.rawValue), WAL; \(messages) messages per run)")
        print("writers   appends/s   commit p50   commit p99")
        for writers in [1, 16, 256] {
            let figures = try await bench.appends(writers: writers, messages: messages)
            print(
                String(writers).leftPadding(7), figures.perSecond.grouped.leftPadding(11),
                figures.p50.millisecondsText.leftPadding(12), figures.p99.millisecondsText.leftPadding(12)
            )
        }
        for total in [restartMessages / 10, restartMessages] {
            let restart = try await bench.restart(totalMessages: total)
            print("\(total.formatted) messages in 1000 rooms: restart to ready \(restart.time.millisecondsText) (\(restart.facts) facts, window 100/room), RSS +\(restart.rssGrowthMiB) MiB")
            print("  history page (50 before a seq) p50 \(restart.pageP50.millisecondsText), p99 \(restart.pageP99.millisecondsText); latest 50 of 40 rooms p50 \(restart.latestP50.millisecondsText)")
        }
    }
}

extension Int {
    fileprivate var formatted: String { Double(self).grouped }
}
