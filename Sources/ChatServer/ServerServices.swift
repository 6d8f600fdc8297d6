import ChatService

/// What the routes and sockets share: the service, and what only the server has.
struct ServerServices: Sendable {
    let configuration: ServerConfiguration
    /// The application: every rule, account and answer.
    let chat: ChatService
    /// The open sockets, which the service's frames go to.
    let connections: ConnectionRegistry
    let metrics: ServerMetrics
}
