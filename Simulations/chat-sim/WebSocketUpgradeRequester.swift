import NIOCore
import NIOHTTP1
import NIOWebSocket

/// Sends the WebSocket upgrade request (NIO's upgrade handler adds the upgrade headers and
/// handles the 101 response) and reports a refused or broken upgrade. Removed from the
/// pipeline once the server has switched protocols.
final class WebSocketUpgradeRequester: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    static let name = "websocket-upgrade-requester"

    private let path: String
    private let host: String
    private let port: Int
    private let token: String
    private let onFailure: (any Error) -> Void
    private var sent = false
    private var failed = false

    private init(path: String, host: String, port: Int, token: String, onFailure: @escaping (any Error) -> Void) {
        self.path = path
        self.host = host
        self.port = port
        self.token = token
        self.onFailure = onFailure
    }

    /// Sets up `channel` (on its event loop) as a WebSocket client of `path` on `host:port`,
    /// authenticated with `token`: NIO's HTTP client handlers with the WebSocket upgrader, and
    /// `handler` added once the server has switched protocols; `onFailure` runs (on the event
    /// loop) when the upgrade is refused or the connection ends before it.
    static func configure(
        _ channel: any Channel, handler: some ChannelHandler, path: String, host: String, port: Int, token: String,
        onFailure: @escaping (any Error) -> Void
    ) throws {
        let bound = NIOLoopBound(handler, eventLoop: channel.eventLoop)
        let upgrader = NIOWebSocketClientUpgrader(maxFrameSize: 1 << 24) { channel, _ in
            channel.eventLoop.makeCompletedFuture {
                channel.pipeline.syncOperations.removeHandler(name: Self.name, promise: nil)
                try channel.pipeline.syncOperations.addHandler(bound.value)
            }
        }
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHTTPClientHandlers(
            leftOverBytesStrategy: .forwardBytes,
            withClientUpgrade: (upgraders: [upgrader], completionHandler: { _ in })
        )
        try pipeline.addHandler(WebSocketUpgradeRequester(path: path, host: host, port: port, token: token, onFailure: onFailure), name: name)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { sendRequest(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        sendRequest(context: context)
        context.fireChannelActive()
    }

    private func sendRequest(context: ChannelHandlerContext) {
        guard !sent else { return }
        sent = true
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "\(host):\(port)")
        headers.add(name: "Authorization", value: "Bearer \(token)")
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Only a response that did not switch protocols gets here.
        if case .head(let head) = unwrapInboundIn(data) {
            fail(LoadError("upgrade refused: HTTP/\(head.version.major).\(head.version.minor) \(head.status.code) \(head.status.reasonPhrase)"), context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(LoadError("the server closed the connection during the WebSocket upgrade"), context: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error, context: context)
    }

    private func fail(_ error: any Error, context: ChannelHandlerContext?) {
        guard !failed else { return }
        failed = true
        onFailure(error)
        context?.close(promise: nil)
    }
}
