import ChatProtocol
import ChatService
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// One connection's upgrades to a socket: NIO's WebSocket upgrader (which checks the handshake's
/// headers and computes its answer), whose `shouldUpgrade` opens the socket — token, engine
/// session, subscription — before agreeing, so that the `101` goes out with the socket already
/// in its room.
final class SocketUpgrade: Sendable {
    /// The body of the 404 that answers an upgrade on a path that is not a socket path.
    static let notFoundBody = ByteBuffer(bytes: WireEncoder.encode(ErrorBody(error: "Not Found")))

    let services: ServerServices
    /// The socket opened for the last upgrade request, until its handler is installed.
    private let opened: NIOLoopBoundBox<SocketSession?>
    /// An upgrade was asked for on a path that is not a socket path.
    private let askedElsewhere: NIOLoopBoundBox<Bool>

    init(services: ServerServices, eventLoop: any EventLoop) {
        self.services = services
        opened = NIOLoopBoundBox(nil, eventLoop: eventLoop)
        askedElsewhere = NIOLoopBoundBox(false, eventLoop: eventLoop)
    }

    /// Whether an upgrade was asked for on a path that is not a socket path (on the event loop).
    var wasRequestedElsewhere: Bool { askedElsewhere.value }

    /// NIO's upgrader for this connection; once upgraded, the socket's handler is added at the
    /// end of the pipeline and `result` is the negotiation's result.
    func upgrader<Result: Sendable>(_ result: @escaping @Sendable () -> Result) -> NIOTypedWebSocketServerUpgrader<Result> {
        NIOTypedWebSocketServerUpgrader(
            maxFrameSize: services.configuration.maxSocketMessage,
            shouldUpgrade: { channel, head in self.open(head, on: channel) },
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(try self.takeHandler())
                    return result()
                }
            }
        )
    }

    /// The handlers of an upgraded socket, in pipeline order, for a connection upgraded by hand
    /// (``KeepAliveUpgradeHandler``): what NIO's upgrader adds, then the socket's handler.
    func socketHandlers() throws -> [any ChannelHandler] {
        [
            WebSocketFrameEncoder(),
            ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: services.configuration.maxSocketMessage)),
            WebSocketProtocolErrorHandler(),
            try takeHandler(),
        ]
    }

    /// Opens a socket for an upgrade request on a socket path, answering with the extra headers
    /// of the `101` once it is open or refused (a refused socket is accepted, then closed with
    /// 44xx); nil (no upgrade) for any other path.
    private func open(_ head: HTTPRequestHead, on channel: any Channel) -> EventLoopFuture<HTTPHeaders?> {
        let headers = head.headers
        guard let request = SocketRequest(
            target: head.uri, authorization: headers.first(name: "authorization"), origin: headers.first(name: "origin"), host: headers.first(name: "host")
        ) else {
            askedElsewhere.value = true
            return channel.eventLoop.makeSucceededFuture(nil)
        }
        let socket = SocketSession(services: services, request: request, channel: channel)
        opened.value = socket
        let promise = channel.eventLoop.makePromise(of: HTTPHeaders?.self)
        promise.completeWithTask {
            await socket.open()
            return HTTPHeaders()
        }
        return promise.futureResult
    }

    /// The handler of the socket just opened.
    private func takeHandler() throws -> ChatSocketHandler {
        guard let socket = opened.value else { throw NIOWebSocketUpgradeError.unsupportedWebSocketTarget }
        opened.value = nil
        return ChatSocketHandler(
            socket: socket, maxMessage: services.configuration.maxSocketMessage,
            pingInterval: .milliseconds(services.configuration.socketPingInterval)
        )
    }
}
