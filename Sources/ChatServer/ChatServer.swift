import ChatEngine
import ChatService
import ChatStore
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// The chat server: the seed-compatible REST API and sockets over one engine and one store.
public final class ChatServer: Sendable {
    /// What it was started with.
    public let configuration: ServerConfiguration
    let services: ServerServices
    private let logger: Logger

    /// Opens the store (throwing a ``StoreError`` that names the file and the problem when it
    /// cannot), rebuilds the service from it, and prepares the routes.
    public init(configuration: ServerConfiguration, logger: Logger) async throws {
        self.configuration = configuration
        self.logger = logger
        let store: any ChatStore = if PostgresURL.names(configuration.databasePath) {
            try await PostgresChatStore(url: configuration.databasePath, logger: logger)
        } else {
            try SQLiteChatStore(path: configuration.databasePath, durability: configuration.durability)
        }
        let metrics = ServerMetrics()
        let connections = ConnectionRegistry(metrics: metrics)
        let chat = try await ChatService(
            store: store, configuration: configuration.service, clock: configuration.clock,
            passwords: PasswordHasher(cost: configuration.bcryptCost), outbox: connections, observer: metrics, logger: logger
        )
        services = ServerServices(configuration: configuration, chat: chat, connections: connections, metrics: metrics)
        if let node = chat.node { logger.notice("this is node \(node) of the nodes that share the database") }
    }

    /// Serves until SIGINT or SIGTERM, then stops accepting, lets queued frames go out, closes
    /// every socket with 1001 (going away) and returns. `onReady` gets the `host:port` listened on.
    public func run(onReady: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        let application = makeApplication(onReady: onReady)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: application), .init(service: SocketCloser(connections: services.connections, chat: services.chat))],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        try await group.run()
    }

    /// The Hummingbird application (tests run it with `HummingbirdTesting`).
    func makeApplication(onReady: @escaping @Sendable (String) -> Void = { _ in }) -> some ApplicationProtocol {
        let host = configuration.host
        let services = services
        return Application(
            router: makeRouter(),
            server: HTTPServerBuilder { responder in ChatHTTPChannel(responder: responder, services: services) },
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: "chat-server"),
            onServerRunning: { channel in onReady("\(host):\(channel.localAddress?.port ?? 0)") },
            logger: logger
        )
    }

    /// Every route, behind the request log, the error shape, the security headers, the web
    /// client's files (for paths no route answers) and the token check.
    func makeRouter() -> Router<ChatRequestContext> {
        let router = Router(context: ChatRequestContext.self)
        router.add(middleware: RequestLogMiddleware(metrics: services.metrics))
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: SecurityHeaders())
        if let files = WebClientFiles(folder: configuration.webRoot, logger: logger) {
            router.add(middleware: files)
        }
        router.add(middleware: ClusterCatchUp(chat: services.chat))
        router.add(middleware: Authenticator(services: services))
        OperationsRoutes(services: services).add(to: router)
        let api = router.group("api")
        AuthRoutes(services: services).add(to: api)
        UserRoutes(services: services).add(to: api)
        RoomRoutes(services: services).add(to: api)
        MessageRoutes(services: services).add(to: api)
        return router
    }
}

/// At shutdown, before the HTTP server stops: closes every socket with 1001 after what is
/// already queued for it, and waits (up to 5 s) for them to go; a node of several then gives up
/// its lease, so the others clear its presence at once.
struct SocketCloser: Service {
    let connections: ConnectionRegistry
    let chat: ChatService

    func run() async throws {
        try? await gracefulShutdown()
        connections.closeAll(code: 1001)
        let deadline = ContinuousClock.now + .seconds(5)
        while connections.count > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        await chat.settle()
        await chat.leaveCluster(releasingLease: true)
    }
}
