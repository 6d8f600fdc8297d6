import ChatEngine
import ChatStore

/// A command that ran on the engine, waiting for its writes to be stored.
struct RanCommand: Sendable {
    /// What ran.
    let command: Command
    /// The engine's answer.
    let result: Result<Reply, Rejection>
    /// Its facts and records, in order.
    let writes: [StoreWrite]
    /// Delivers and answers once the writes are stored, or reports their failure.
    let finish: @Sendable (Result<Void, StoreError>) -> Void
}
