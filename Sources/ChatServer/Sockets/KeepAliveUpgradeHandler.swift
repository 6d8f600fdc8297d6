import ChatProtocol
import ChatService
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// Upgrades a connection that has already served HTTP requests to a socket.
///
/// NIO's upgrade handler looks at a connection's first request only, but clients reuse pooled
/// keep-alive connections for their socket (aiohttp's `ws_connect` after a REST call). This
/// handler sits between NIO's HTTP/1.1 codec and Hummingbird's and watches each request: an
/// upgrade request is kept from Hummingbird, the socket is opened through the connection's
/// ``SocketUpgrade`` (NIO's upgrader checks the handshake and builds the `101`), and the socket's
/// handlers replace the HTTP codec at the front of the pipeline. Hummingbird's handlers stay
/// behind them and see nothing more until the connection closes.
///
/// An upgrade request on a path that is not a socket path gets the same 404 as on a first
/// request; a malformed handshake gets a 400. Both close the connection (NIO's HTTP decoder
/// reads nothing more after an upgrade request).
final class KeepAliveUpgradeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        /// Requests go on to Hummingbird.
        case passing
        /// An upgrade request is being read; it goes no further.
        case upgrading(HTTPRequestHead)
        /// The upgrade is being answered.
        case answering
    }

    private let upgrade: SocketUpgrade
    private let upgrader: NIOTypedWebSocketServerUpgrader<Void>
    private var state = State.passing

    init(upgrade: SocketUpgrade) {
        self.upgrade = upgrade
        upgrader = upgrade.upgrader {}
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch (state, part) {
        case (.passing, .head(let head)) where Self.isUpgrade(head):
            state = .upgrading(head)
        case (.passing, _):
            context.fireChannelRead(data)
        case (.upgrading(let head), .end):
            state = .answering
            answer(head, context: context)
        case (.upgrading, _), (.answering, _):
            break
        }
    }

    /// Whether `head` asks to switch protocols (the requests after which NIO's decoder stops).
    private static func isUpgrade(_ head: HTTPRequestHead) -> Bool {
        head.headers.contains(name: "upgrade")
            && head.headers[canonicalForm: "connection"].contains { $0.lowercased() == "upgrade" }
    }

    private func answer(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard head.headers[canonicalForm: "upgrade"].contains(where: { $0.lowercased() == "websocket" }),
              SocketRequest(target: head.uri, authorization: nil, origin: nil, host: nil) != nil
        else {
            return refuse(.notFound, body: SocketUpgrade.notFoundBody, version: head.version, context: context)
        }
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        upgrader.buildUpgradeResponse(channel: context.channel, upgradeRequest: head, initialResponseHeaders: [:])
            .hop(to: context.eventLoop)
            .whenComplete { result in
                let (handler, context) = bound.value
                switch result {
                case .success(let headers):
                    handler.switchProtocols(version: head.version, headers: headers, context: context)
                case .failure:
                    let body = ByteBuffer(bytes: WireEncoder.encode(ErrorBody(error: KeepAliveUpgradeHandler.badHandshakeMessage)))
                    handler.refuse(.badRequest, body: body, version: head.version, context: context)
                }
            }
    }

    /// The error for an upgrade request whose WebSocket headers are missing or wrong.
    static let badHandshakeMessage = "Invalid WebSocket handshake"

    /// Writes the `101`, then puts the socket's handlers in place of the HTTP codec.
    private func switchProtocols(version: HTTPVersion, headers: HTTPHeaders, context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: .switchingProtocols, headers: headers))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        do {
            let pipeline = context.pipeline.syncOperations
            // First the HTTP encoder: the socket's handler writes what is queued for it at once.
            pipeline.removeHandler(context: try pipeline.context(handlerType: HTTPResponseEncoder.self), promise: nil)
            let decoder = try pipeline.context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self)
            // One at a time, in order: the socket's handler needs the frame encoder in place.
            var previous: any ChannelHandler = self
            for handler in try upgrade.socketHandlers() {
                try pipeline.addHandler(handler, position: .after(previous))
                previous = handler
            }
            pipeline.removeHandler(context: context, promise: nil)
            // Last: bytes the client sent after its request go on to the socket's frame decoder.
            pipeline.removeHandler(context: decoder, promise: nil)
        } catch {
            context.close(promise: nil)
        }
    }

    /// Answers with `status` and a JSON error body from this handler's place (Hummingbird's
    /// handlers behind it must not see the response), then closes the connection.
    private func refuse(_ status: HTTPResponseStatus, body: ByteBuffer, version: HTTPVersion, context: ChannelHandlerContext) {
        for part in Self.errorResponse(status, body: body, version: version) {
            context.write(wrapOutboundOut(part), promise: nil)
        }
        context.flush()
        context.close(promise: nil)
    }

    /// Answers a connection's first request with `status` and a JSON error body, then closes it:
    /// NIO's HTTP encoder is then the only handler that writes.
    static func refuse(_ status: HTTPResponseStatus, body: ByteBuffer, channel: any Channel) {
        for part in errorResponse(status, body: body, version: .http1_1) {
            channel.write(part, promise: nil)
        }
        channel.flush()
        channel.close(promise: nil)
    }

    /// A response with a JSON error body that closes the connection.
    private static func errorResponse(_ status: HTTPResponseStatus, body: ByteBuffer, version: HTTPVersion) -> [HTTPServerResponsePart] {
        let headers = HTTPHeaders([("content-type", JSONResponse.contentType), ("content-length", "\(body.readableBytes)"), ("connection", "close")])
        return [.head(HTTPResponseHead(version: version, status: status, headers: headers)), .body(.byteBuffer(body)), .end(nil)]
    }
}
