/// One thing for a node's turn loop to do, in order.
enum ClusterTurn: Sendable {
    /// A local command.
    case command(CommandTurn)
    /// Runs once everything before it is done and the log is read.
    case barrier(@Sendable () -> Void)
    /// Another node's events, which happened on its engine at a log position.
    case remote(node: String, events: [RemoteEvent], position: Int64)
    /// Another node appended to the log: read it.
    case catchUp
    /// These nodes' leases lapsed: their sessions are gone.
    case lapsed([String])
    /// Tell the others every session of this node (the others lost them).
    case announce
    /// This node's listener (re)started: forget the others' sessions and ask for them again.
    case hello
    /// A write failed: rebuild the engine from the store.
    case rebuild
}
