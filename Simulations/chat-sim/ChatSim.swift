import ArgumentParser

/// `chat-sim`: drives the chat engine with many virtual users.
@main
struct ChatSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat-sim",
        abstract: "Drive the chat engine with many virtual users.",
        subcommands: [ReplayCommand.self, ExploreCommand.self, BenchCommand.self, LoadCommand.self, CeilingServerCommand.self]
    )
}
