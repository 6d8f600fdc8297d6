import ArgumentParser
import ChatEngine
import ChatStore
import Foundation

/// `chat-sim bench store`: durable appends, commit latency, history reads and restart time
/// of the SQLite store, in a temporary directory, and of the PostgreSQL store beside it in the
/// same run when `--db` names a server.
struct StoreBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Measure the stores: group-committed appends, history reads, restart (SQLite, and PostgreSQL with --db)."
    )

    @Option(help: "Messages appended per writer-count run.")
    var messages = 100_000

    @Option(help: "Messages in the database for the restart measurement.")
    var restartMessages = 1_000_000

    @Option(help: "SQLite durability: normal (survives kill -9) or full (survives power loss).")
    var durability: String = "normal"

    @Option(help: "Directory for the temporary SQLite databases.")
    var directory = FileManager.default.temporaryDirectory.path

    @Option(help: "Also measure PostgreSQL: postgres://user@host:port/db of a role that may create databases (each run gets a new one, dropped afterwards).")
    var db: String?

    func validate() throws {
        guard Durability(rawValue: durability) != nil else { throw ValidationError("--durability must be normal or full") }
        if let db {
            do {
                _ = try PostgresURL(db)
            } catch {
                throw ValidationError(error.message)
            }
        }
    }

    func run() async throws {
        let sqlite = StoreBenchTarget.sqlite(directory: directory, durability: Durability(rawValue: durability) ?? .normal)
        let targets = [sqlite] + (db.map { [StoreBenchTarget.postgres(server: $0)] } ?? [])
        #if DEBUG
        print("warning: a debug build; run `swift run -c release chat-sim bench store` for real figures")
        #endif
        var header = "chat-sim bench store (SQLite: durability \(durability), WAL"
        if let db {
            header += "; PostgreSQL \(try await StoreBenchTarget.serverVersion(db)) at \(try PostgresURL(db).redacted)"
        }
        print(header + "; \(messages) messages per run)")
        print("store      writers   appends/s   commit p50   commit p99   vs sqlite")
        for writers in [1, 16, 256] {
            var reference: Double?
            for target in targets {
                let figures = try await StoreBenchmark(target: target).appends(writers: writers, messages: messages)
                let ratio = reference.map { String(format: "%.2f×", figures.perSecond / $0) } ?? ""
                reference = reference ?? figures.perSecond
                print(
                    target.name.padding(toLength: 8, withPad: " ", startingAt: 0), String(writers).leftPadding(8),
                    figures.perSecond.grouped.leftPadding(11), figures.p50.millisecondsText.leftPadding(12),
                    figures.p99.millisecondsText.leftPadding(12), ratio.leftPadding(11)
                )
            }
        }
        for total in [restartMessages / 10, restartMessages] {
            for target in targets {
                let restart = try await StoreBenchmark(target: target).restart(totalMessages: total)
                print("\(target.name): \(total.formatted) messages in 1000 rooms: restart to ready \(restart.time.millisecondsText) (\(restart.facts) facts, window 100/room), RSS +\(restart.rssGrowthMiB) MiB")
                print("  history page (50 before a seq) p50 \(restart.pageP50.millisecondsText), p99 \(restart.pageP99.millisecondsText); latest 50 of 40 rooms p50 \(restart.latestP50.millisecondsText)")
            }
        }
    }
}

extension Int {
    fileprivate var formatted: String { Double(self).grouped }
}
