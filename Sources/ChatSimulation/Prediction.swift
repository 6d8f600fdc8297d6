import ChatEngine

/// What the reference model expects a command to produce.
struct Prediction {
    /// The exact result, reply values included.
    let result: Result<Reply, Rejection>
    /// The deliveries of the typing indicators that expired before the command (they open its events).
    let expired: [Delivery]
    /// The command's own deliveries, in order (none when it is rejected).
    let deliveries: [Delivery]
    /// The facts to store, in order (none when it is rejected).
    let facts: [Fact]
}
