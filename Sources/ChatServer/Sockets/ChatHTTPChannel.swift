import ChatProtocol
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket

/// The server's connections: HTTP/1.1 for the REST API, upgraded to a WebSocket on the seed's
/// socket paths.
///
/// An upgraded socket lives in its NIO pipeline (NIO's frame decoder and encoder, a
/// ``ChatSocketHandler``) with no task of its own once it is open, which is what
/// keeps an idle socket small; everything else is Hummingbird's HTTP/1.1 handling.
struct ChatHTTPChannel: ServerChildChannel, HTTPChannelHandler {
    /// What a connection became.
    enum Negotiated: Sendable {
        /// An upgraded socket, its handler in the pipeline, still to be opened.
        case socket(SocketSession)
        /// Plain HTTP.
        case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        /// An upgrade request on a path that is not a socket path: answered 404 and closed.
        case notASocket(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
    }

    struct Value: ServerChildChannelValue {
        let negotiated: EventLoopFuture<Negotiated>
        let channel: any Channel
    }

    let responder: Responder
    let services: ServerServices

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            // Frames go out as soon as they are flushed (no Nagle wait for the previous ACK).
            try channel.syncOptions?.setOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            let services = services
            let maxMessage = services.configuration.maxSocketMessage
            let pingInterval = TimeAmount.milliseconds(services.configuration.socketPingInterval)
            // What the upgrade request asked for, read once: nil until one is seen; then the
            // socket request, or nil inside for a path that is not a socket path.
            let upgrade = NIOLoopBoundBox<SocketRequest??>(nil, eventLoop: channel.eventLoop)
            let upgrader = NIOTypedWebSocketServerUpgrader<Negotiated>(
                maxFrameSize: maxMessage,
                shouldUpgrade: { channel, head in
                    let request = SocketRequest(head)
                    upgrade.value = .some(request)
                    return channel.eventLoop.makeSucceededFuture(request == nil ? nil : HTTPHeaders())
                },
                upgradePipelineHandler: { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        guard case .some(.some(let request)) = upgrade.value else { throw NIOWebSocketUpgradeError.unsupportedWebSocketTarget }
                        let socket = SocketSession(services: services, request: request, channel: channel)
                        try channel.pipeline.syncOperations.addHandler(ChatSocketHandler(socket: socket, maxMessage: maxMessage, pingInterval: pingInterval))
                        return .socket(socket)
                    }
                }
            )
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration<Negotiated>(
                upgradeConfiguration: NIOTypedHTTPServerUpgradeConfiguration(
                    upgraders: [upgrader],
                    notUpgradingCompletionHandler: { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                            try channel.pipeline.syncOperations.addHandler(HTTPConnectionStateHandler(logger: logger))
                            let http = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                                wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true)
                            )
                            return upgrade.value == nil ? .http(http) : .notASocket(http)
                        }
                    }
                )
            )
            configuration.enablePipelining = false  // NIOAsyncChannel reads requests one at a time
            configuration.enableErrorHandling = false  // Hummingbird answers HTTP errors
            configuration.enableResponseHeaderValidation = false  // swift-http-types validates them
            return Value(negotiated: try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(configuration: configuration), channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.negotiated.get() {
            case .socket(let socket):
                await socket.open()
            case .http(let http):
                await handleHTTP(asyncChannel: http, logger: logger)
            case .notASocket(let http):
                try await http.executeThenClose { _, outbound in
                    let body = ByteBuffer(bytes: WireEncoder.encode(ErrorBody(error: HTTPResponse.Status.notFound.reasonPhrase)))
                    let headers: HTTPFields = [.connection: "close", .contentType: JSONResponse.contentType, .contentLength: "\(body.readableBytes)"]
                    try await outbound.write(contentsOf: [.head(HTTPResponse(status: .notFound, headerFields: headers)), .body(body), .end(nil)])
                }
            }
        } catch {
            logger.debug("connection ended before it was negotiated", metadata: ["error": "\(error)"])
        }
    }
}
