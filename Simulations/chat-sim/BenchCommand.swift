import ArgumentParser

/// `chat-sim bench`: benchmarks that print figures.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks that print figures (run them with -c release).",
        subcommands: [EngineBenchCommand.self, StoreBenchCommand.self, ClusterBenchCommand.self],
        defaultSubcommand: EngineBenchCommand.self
    )
}
