import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// The reference `chat-sim load --ceiling` measures chat-server against: a minimal broadcast
/// server on swift-nio with the same URLs and frames as chat-server's seed surface, and nothing
/// else — no storage, no rules, no JSON decoding on the message path. A message is numbered and
/// encoded for the wire once under its room's lock and handed to each event loop's outbox, which
/// joins each socket's frames of a drain into one write and flushes it once. One event loop per
/// core, as chat-server has.
struct CeilingServer {
    let host: String
    let port: Int
    let threads: Int

    /// Serves until the process ends; `onReady` gets the port listened on.
    func run(onReady: (Int) -> Void) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let hub = CeilingHub(loops: Array(group.makeIterator()))
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 4_096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in Self.configure(channel, hub: hub) }
            .bind(host: host, port: port).get()
        onReady(channel.localAddress?.port ?? port)
        try await channel.closeFuture.get()
    }

    /// HTTP with a WebSocket upgrade for `/ws/chat/<room>/` (a registered user's bearer token,
    /// a room name without quotes or backslashes); other requests go to the REST handler.
    private static func configure(_ channel: any Channel, hub: CeilingHub) -> EventLoopFuture<Void> {
        let http = CeilingHTTPHandler(hub: hub)
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: 1 << 16,
            shouldUpgrade: { channel, head in
                channel.eventLoop.makeSucceededFuture(socketTarget(head, hub: hub) == nil ? nil : HTTPHeaders())
            },
            upgradePipelineHandler: { channel, head in
                channel.eventLoop.makeCompletedFuture {
                    guard let (room, user) = socketTarget(head, hub: hub) else { throw ChannelError.inappropriateOperationForState }
                    try channel.pipeline.syncOperations.addHandler(CeilingSocketHandler(hub: hub, room: room, user: user))
                }
            }
        )
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                withServerUpgrade: (upgraders: [upgrader], completionHandler: { context in
                    context.pipeline.syncOperations.removeHandler(http, promise: nil)
                })
            )
            try channel.pipeline.syncOperations.addHandler(http)
        }
    }

    /// The room and user of a socket request, or nil when it is not one.
    private static func socketTarget(_ head: HTTPRequestHead, hub: CeilingHub) -> (CeilingRoom, CeilingHub.User)? {
        let prefix = "/ws/chat/"
        guard head.uri.hasPrefix(prefix), head.uri.hasSuffix("/"),
              let token = head.headers.first(name: "Authorization").flatMap({ $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }),
              let user = hub.user(token: token)
        else { return nil }
        let name = String(head.uri.dropFirst(prefix.count).dropLast())
        guard !name.isEmpty, !name.contains(where: { $0 == "\"" || $0 == "\\" || $0 == "/" || $0.asciiValue.map { $0 < 0x20 } == true }) else { return nil }
        return (hub.room(named: name), user)
    }
}
