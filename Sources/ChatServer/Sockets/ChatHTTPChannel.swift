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
/// socket paths — as the first request of a connection (NIO's upgrade handler) or a later one
/// (``KeepAliveUpgradeHandler``: clients such as aiohttp reuse pooled connections).
///
/// A socket is opened (token checked, engine session opened and subscribed) while its upgrade
/// waits, so it is in its room before the `101` goes out. An upgraded socket lives in its NIO
/// pipeline (NIO's frame decoder and encoder, a ``ChatSocketHandler``) with no task of its own
/// once it is open, which is what keeps an idle socket small; everything else is Hummingbird's
/// HTTP/1.1 handling.
struct ChatHTTPChannel: ServerChildChannel, HTTPChannelHandler {
    /// What a connection became.
    enum Negotiated: Sendable {
        /// An upgraded socket, open (or refused, its close queued) and in its pipeline.
        case socket
        /// Plain HTTP.
        case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        /// An upgrade request on a path that is not a socket path: answered 404 (by NIO's HTTP
        /// encoder, no task involved) and closed.
        case notASocket
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
            let quiesce = NegotiationQuiesceHandler()
            try channel.pipeline.syncOperations.addHandler(quiesce)
            let upgrade = SocketUpgrade(services: services, eventLoop: channel.eventLoop)
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration<Negotiated>(
                upgradeConfiguration: NIOTypedHTTPServerUpgradeConfiguration(
                    upgraders: [upgrade.upgrader { .socket }],
                    notUpgradingCompletionHandler: { channel in
                        channel.eventLoop.makeCompletedFuture {
                            if upgrade.wasRequestedElsewhere {
                                KeepAliveUpgradeHandler.refuse(.notFound, body: SocketUpgrade.notFoundBody, channel: channel)
                                return .notASocket
                            }
                            let sync = channel.pipeline.syncOperations
                            try sync.addHandler(KeepAliveUpgradeHandler(upgrade: upgrade))
                            try sync.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                            try sync.addHandler(HTTPConnectionStateHandler(logger: logger))
                            return .http(try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                                wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true)
                            ))
                        }
                    }
                )
            )
            configuration.enablePipelining = false  // NIOAsyncChannel reads requests one at a time
            configuration.enableErrorHandling = false  // Hummingbird answers HTTP errors
            configuration.enableResponseHeaderValidation = false  // swift-http-types validates them
            let negotiated = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(configuration: configuration)
            let bound = NIOLoopBound(quiesce, eventLoop: channel.eventLoop)
            negotiated.whenComplete { _ in
                if let context = try? channel.pipeline.syncOperations.context(handler: bound.value) {
                    bound.value.finishNegotiation(context: context)
                }
            }
            return Value(negotiated: negotiated, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.negotiated.get() {
            case .socket, .notASocket:
                break  // both live in their pipelines: an open socket, or a 404 being answered
            case .http(let http):
                await handleHTTP(asyncChannel: http, logger: logger)
            }
        } catch {
            logger.debug("connection ended before it was negotiated", metadata: ["error": "\(error)"])
        }
    }
}
