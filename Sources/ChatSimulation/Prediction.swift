import ChatEngine

/// What the reference model expects a command to produce.
struct Prediction {
    /// The exact result, reply values included.
    let result: Result<Reply, Rejection>
    /// The modelled deliveries (`.message`, `.typing`, `.presence`, `.unsubscribed`), in order.
    let deliveries: [Delivery]
}
