import NIOCore

/// Graceful shutdown for a connection whose first request is not negotiated yet.
///
/// The server's shutdown waits until every connection has closed, and tells each one with a
/// `ChannelShouldQuiesceEvent`; the handlers that act on it (Hummingbird's HTTP state handler, the
/// socket's handler) exist only once the first request has been negotiated. Before that nobody
/// would act on it, so a client that connected and sent nothing, or half a request, would keep
/// the server from ever stopping. This handler, first in a new connection's pipeline, closes such
/// a connection, and leaves the pipeline once its first request is negotiated
/// (``finishNegotiation(context:)``).
final class NegotiationQuiesceHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Called once the first request is negotiated (on the event loop): from now on the handlers
    /// that negotiation installed answer a shutdown.
    func finishNegotiation(context: ChannelHandlerContext) {
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
