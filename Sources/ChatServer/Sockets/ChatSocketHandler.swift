import NIOCore
import NIOWebSocket

/// The last handler of an upgraded socket's pipeline (after NIO's frame decoder and encoder):
/// joins fragments into messages and hands them to the ``SocketSession``, answers pings and
/// the client's close, pings a client that has been silent for a ping interval (and drops it
/// when it stays silent), and drains the outbound queue when the socket becomes writable again.
final class ChatSocketHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let socket: SocketSession
    private let maxMessage: Int
    private let pingInterval: TimeAmount
    /// The message being received, when it came in several frames.
    private var partial: SocketSession.Message?
    /// Something was read since the ping timer last fired.
    private var hasRead = false
    /// A ping went out because the client was silent; nothing has been read since.
    private var isAwaitingPong = false
    private var pingTimer: RepeatedTask?

    init(socket: SocketSession, maxMessage: Int, pingInterval: TimeAmount) {
        self.socket = socket
        self.maxMessage = maxMessage
        self.pingInterval = pingInterval
    }

    func handlerAdded(context: ChannelHandlerContext) {
        guard let encoder = try? context.pipeline.syncOperations.context(handlerType: WebSocketFrameEncoder.self) else {
            // Not an upgraded socket's pipeline: nothing could be written to it.
            context.close(promise: nil)
            return
        }
        socket.connection.attach(handler: context, encoder: encoder)
        socket.services.core.connections.add(socket.connection)
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        pingTimer = context.eventLoop.scheduleRepeatedTask(initialDelay: pingInterval, delay: pingInterval) { _ in
            bound.value.handler.pingTimerFired(context: bound.value.context)
        }
    }

    /// Also called when a closed channel's pipeline is torn down.
    func handlerRemoved(context: ChannelHandlerContext) {
        pingTimer?.cancel()
        pingTimer = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        socket.ended()
        context.fireChannelInactive()
    }

    /// Every ping interval: a client silent since the last one is pinged; one that stayed silent
    /// through a whole interval after its ping is gone, and dropped.
    private func pingTimerFired(context: ChannelHandlerContext) {
        defer { hasRead = false }
        if hasRead {
            isAwaitingPong = false
        } else if isAwaitingPong {
            context.close(promise: nil)
        } else if !socket.connection.hasSentClose {
            isAwaitingPong = true
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .ping, data: context.channel.allocator.buffer(capacity: 0))), promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        hasRead = true
        let connection = socket.connection
        switch frame.opcode {
        case .connectionClose:
            if connection.hasSentClose {
                context.close(promise: nil)
            } else {
                connection.finish()
                connection.sendClose(code: 1000, isAnswer: true)
            }
        case .ping:
            guard !connection.hasSentClose else { return }
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .text, .binary, .continuation:
            guard !connection.hasSentClose else { return }
            receive(frame, context: context)
        default:
            break
        }
    }

    /// The error for a continuation frame with no message to continue.
    static let unexpectedContinuationMessage = "Continuation frame without a message to continue"
    /// The error for a new message started before the previous one's last frame.
    static let unfinishedMessageMessage = "New message before the previous one's last frame"

    /// Adds a data frame to the message it belongs to; a complete message goes to the session.
    /// Frames out of sequence end the socket (RFC 6455 §5.4: a protocol error).
    private func receive(_ frame: WebSocketFrame, context: ChannelHandlerContext) {
        switch frame.opcode {
        case .continuation:
            guard var message = partial else { return socket.refuseOutOfSequence(Self.unexpectedContinuationMessage) }
            partial = nil  // the buffer stays uniquely referenced: appending does not copy it
            var data = frame.unmaskedData
            message.data.writeBuffer(&data)
            partial = message
        default:
            guard partial == nil else {
                partial = nil
                return socket.refuseOutOfSequence(Self.unfinishedMessageMessage)
            }
            partial = SocketSession.Message(isText: frame.opcode != .binary, data: frame.unmaskedData)
        }
        guard let message = partial else { return }
        if message.data.readableBytes > maxMessage {
            partial = nil
            return socket.refuseOversized(limit: maxMessage)
        }
        guard frame.fin else { return }
        partial = nil
        if !socket.receive(message) {
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        socket.connection.writabilityChanged(isWritable: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is ChannelShouldQuiesceEvent:
            // The server is shutting down: going away, after what is queued.
            socket.connection.enqueue(.close(nil, code: 1001))
        case ChannelEvent.inputClosed:
            context.close(promise: nil)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // NIO's protocol error handler (before this one) already answers a malformed or
        // oversized frame with a close frame and closes; anything else ends the socket.
        if !(error is NIOWebSocketError) { context.close(promise: nil) }
    }
}
