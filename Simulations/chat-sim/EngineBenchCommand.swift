import ArgumentParser
import ChatEngine

/// `chat-sim bench [engine]`: measures the engine alone, on one core, and prints the figures.
struct EngineBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Measure the engine's throughput and memory on one core."
    )

    @Option(help: "Messages sent in the 1 000 rooms × 50 members scenario.")
    var messages = 1_000_000

    @Option(help: "Messages sent in the 1 room × 10 000 sessions scenario.")
    var fanOutMessages = 20_000

    @Option(help: "Seed of the random choice of senders.")
    var seed: UInt64 = 1

    func run() {
        #if DEBUG
        print("warning: a debug build; run `swift run -c release chat-sim bench` for real figures")
        #endif
        print("chat-sim bench (seed \(seed); one thread; engine only, no I/O)")
        print("scenario                        commands/s   deliveries/s   heap B/retained msg")
        let scenarios = [
            EngineBenchmark(name: "1000 rooms x 50 members", rooms: 1_000, sessionsPerRoom: 50, kind: .group, messages: messages, seed: seed),
            EngineBenchmark(name: "1 room x 10000 sessions", rooms: 1, sessionsPerRoom: 10_000, kind: .public, messages: fanOutMessages, seed: seed),
        ]
        for scenario in scenarios {
            let figures = scenario.run()
            print(
                scenario.name.padding(30),
                figures.commandsPerSecond.grouped.leftPadding(12),
                figures.deliveriesPerSecond.grouped.leftPadding(14),
                figures.heapBytesPerRetainedMessage.grouped.leftPadding(21)
            )
        }
    }
}
