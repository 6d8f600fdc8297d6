import ChatProtocol
import NIOCore
import NIOWebSocket

/// The last handler of an upgraded socket's pipeline (after NIO's frame decoder and encoder):
/// enforces RFC 6455's frame rules that NIO leaves to it (``WebSocketRules``), joins fragments
/// into messages and hands them to the ``SocketSession``, answers pings and the client's close,
/// pings a client that has been silent for a ping interval (and drops it when it stays silent),
/// and drains the outbound queue once it is in the pipeline and whenever the socket becomes
/// writable again.
final class ChatSocketHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    /// A message being received in several frames.
    private struct Partial {
        var message: SocketSession.Message
        /// The UTF-8 check of a text message's bytes so far (nil for a binary message).
        var utf8: UTF8Validation?
    }

    private let socket: SocketSession
    private let maxMessage: Int
    private let pingInterval: TimeAmount
    /// The message being received, when it came in several frames.
    private var partial: Partial?
    /// The connection is being failed or closed for a frame it sent: nothing more is read.
    private var isRefusing = false
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
        if frame.opcode == .connectionClose, connection.hasSentClose {
            // The client's answer to this side's close.
            return context.close(promise: nil)
        }
        guard !connection.hasSentClose, !isRefusing else { return }
        if let failure = WebSocketRules.violation(of: frame) { return fail(failure) }
        switch frame.opcode {
        case .connectionClose:
            connection.sendClose(code: WebSocketRules.answer(toClose: frame.unmaskedData), isAnswer: true)
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .text, .binary, .continuation:
            receive(frame, context: context)
        default:
            break  // a pong
        }
    }

    /// Adds a data frame to the message it belongs to; a complete message goes to the session.
    /// Frames out of sequence and text that is not UTF-8 fail the connection (RFC 6455 §5.4,
    /// §8.1), as soon as the frame that shows it arrives.
    private func receive(_ frame: WebSocketFrame, context: ChannelHandlerContext) {
        // Unmasked once: `unmaskedData` unmasks the payload again on every call.
        let payload = frame.unmaskedData
        var data = payload
        var current: Partial
        switch frame.opcode {
        case .continuation:
            guard let ongoing = partial else { return fail(WebSocketRules.unexpectedContinuation) }
            partial = nil  // the buffer stays uniquely referenced: appending does not copy it
            current = ongoing
            current.message.data.writeBuffer(&data)
        default:
            guard partial == nil else { return fail(WebSocketRules.unfinishedMessage) }
            let isText = frame.opcode == .text
            current = Partial(message: SocketSession.Message(isText: isText, data: data), utf8: isText ? UTF8Validation() : nil)
        }
        if current.message.data.readableBytes > maxMessage {
            isRefusing = true
            return socket.refuseOversized(limit: maxMessage)
        }
        if var utf8 = current.utf8 {
            guard payload.withUnsafeReadableBytes({ utf8.feed($0) }), !frame.fin || utf8.isComplete else { return fail(WebSocketRules.invalidText) }
            current.utf8 = utf8
        }
        guard frame.fin else {
            partial = current
            return
        }
        if !socket.receive(current.message) {
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
        }
    }

    /// Fails the connection: a close frame with the failure's code and reason; nothing the
    /// client sends afterwards is handled.
    private func fail(_ failure: WebSocketRules.Failure) {
        partial = nil
        isRefusing = true
        socket.services.metrics.frameRefused(reason: failure.metric)
        socket.connection.sendClose(code: failure.code, reason: failure.reason)
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
