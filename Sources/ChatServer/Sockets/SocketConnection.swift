import ChatEngine
import ChatWire
import NIOCore
import NIOWebSocket
import Synchronization

/// One socket's outbound side: a bounded queue that deliveries are dropped into from any
/// thread without waiting, drained on the socket's event loop a batch at a time (every frame
/// of a batch written, then one flush). No task waits per socket: an idle socket costs its
/// queue and nothing else.
///
/// A batch is written only while NIO's buffer for the socket is under its high-water mark, so
/// a reader that does not read makes this queue grow, not NIO's buffers; one that falls more
/// than `limit` frames behind is cut off: a 1008 close goes out behind what NIO still holds (a
/// reader that wakes up within the grace period learns why), and the connection is dropped
/// either way after `closeGracePeriod`.
final class SocketConnection: Sendable {
    /// An item for the socket.
    enum Outbound: Sendable {
        /// A text frame's payload, encoded by the socket's pipeline.
        case frame(ByteBuffer)
        /// A text frame already encoded (``WireFrame``), written past the pipeline's encoder.
        case wire(ByteBuffer)
        /// An optional last text frame, then a close frame with `code`.
        case close(ByteBuffer?, code: UInt16)
    }

    private typealias Contexts = NIOLoopBound<(handler: ChannelHandlerContext, encoder: ChannelHandlerContext)>

    private struct State {
        var queue: [Outbound] = []
        /// A drain is scheduled on the event loop.
        var isDrainScheduled = false
        /// No more items are taken (a close is queued, or the socket ended).
        var isFinished = false
        /// The close frame went out: the socket waits for the client's close, then ends.
        var hasSentClose = false
        /// NIO's buffer for the socket is under its high-water mark (kept by the handler).
        var isWritable = true
        /// The socket handler's place in the pipeline: frames written there go straight to
        /// NIO's encoder; and the encoder's place: bytes written there go straight to the socket.
        var contexts: Contexts?
    }

    /// How long a socket that was sent a close frame may take to answer before it is dropped.
    static let closeGracePeriod = TimeAmount.seconds(2)

    /// The engine session this socket is.
    let session: SessionID
    let channel: any Channel
    /// The channel's event loop, where the socket is written.
    let eventLoop: any EventLoop
    private let limit: Int
    private let state = Mutex(State())
    /// Called when the socket is cut off for falling behind.
    private let onCutOff: @Sendable () -> Void

    init(session: SessionID, channel: any Channel, limit: Int, onCutOff: @escaping @Sendable () -> Void) {
        self.session = session
        self.channel = channel
        eventLoop = channel.eventLoop
        self.limit = limit
        self.onCutOff = onCutOff
    }

    /// Queues an item and drains the socket soon; returns false when it was not taken (the
    /// socket is closing, or its queue was full and it is being cut off).
    @discardableResult
    func enqueue(_ item: Outbound) -> Bool {
        var schedule = DrainSchedule()
        let taken = enqueue(item, schedule: &schedule)
        schedule.run()
        return taken
    }

    /// Queues an item; adds the socket to `schedule` when it needs a drain that is not
    /// scheduled yet. Returns false when the item was not taken.
    func enqueue(_ item: Outbound, schedule: inout DrainSchedule) -> Bool {
        enum Effect { case queued, drain, cutOff }
        let effect = state.withLock { state -> Effect? in
            guard !state.isFinished else { return nil }
            if case .close = item {
                state.isFinished = true
            } else if state.queue.count >= limit {
                state.queue = []
                state.isFinished = true
                return .cutOff
            }
            state.queue.append(item)
            if state.isDrainScheduled { return .queued }
            state.isDrainScheduled = true
            return .drain
        }
        switch effect {
        case nil:
            return false
        case .queued:
            return true
        case .drain:
            schedule.add(self)
            return true
        case .cutOff:
            onCutOff()
            eventLoop.execute { self.sendClose(code: 1008, reason: "Too slow to read") }
            return false
        }
    }

    /// Writes what is queued, then flushes once. On the event loop only. Nothing is taken while
    /// NIO's buffer is over its high-water mark (the handler drains again when the socket
    /// becomes writable) or before the socket's handler is attached (a socket is in its room
    /// before its handshake is answered; what reaches it meanwhile goes out once it is attached).
    func drain() {
        let (batch, contexts) = state.withLock { state -> ([Outbound], Contexts?) in
            state.isDrainScheduled = false
            guard !state.hasSentClose, state.isWritable, let contexts = state.contexts else { return ([], nil) }
            let batch = state.queue
            state.queue = []
            return (batch, contexts)
        }
        guard !batch.isEmpty, let (context, encoder) = contexts?.value else { return }
        // Encoded frames that follow one another go out as one write.
        var wireBytes = 0
        for case .wire(let buffer) in batch { wireBytes += buffer.readableBytes }
        var wire = WireFrameRun(expectedBytes: wireBytes)
        let allocator = channel.allocator
        func writeWire() {
            if let bytes = wire.take() { encoder.write(NIOAny(bytes), promise: nil) }
        }
        for item in batch {
            switch item {
            case .frame(let buffer):
                writeWire()
                context.write(NIOAny(WebSocketFrame(fin: true, opcode: .text, data: buffer)), promise: nil)
            case .wire(let buffer):
                wire.append(buffer, allocator: allocator)
            case .close(let buffer, let code):
                writeWire()
                if let buffer { context.write(NIOAny(WebSocketFrame(fin: true, opcode: .text, data: buffer)), promise: nil) }
                sendClose(code: code)
                return
            }
        }
        writeWire()
        context.flush()
    }

    /// Called by the socket's handler once it is in the pipeline (on the event loop): frames are
    /// written from its place, encoded frames from the encoder's. What was queued before goes out.
    func attach(handler: ChannelHandlerContext, encoder: ChannelHandlerContext) {
        let bound = NIOLoopBound((handler: handler, encoder: encoder), eventLoop: eventLoop)
        state.withLock { $0.contexts = bound }
        drain()
    }

    /// Called by the socket's handler when NIO's buffer crosses a water mark (on the event
    /// loop); a socket that became writable is drained.
    func writabilityChanged(isWritable: Bool) {
        state.withLock { $0.isWritable = isWritable }
        if isWritable { drain() }
    }

    /// Writes a close frame with `code` (behind what NIO holds, writable or not) and flushes;
    /// the socket ends when the client answers or after the grace period, or once the frame is
    /// written when it answers the client's close (`isAnswer`). On the event loop only.
    func sendClose(code: UInt16, reason: String = "", isAnswer: Bool = false) {
        let (first, contexts) = state.withLock { state in
            defer { state.hasSentClose = true; state.isFinished = true; state.queue = [] }
            return (!state.hasSentClose, state.contexts)
        }
        guard first else { return }
        let channel = channel
        // Written from the handler's place: on a connection upgraded after serving HTTP requests,
        // the HTTP handlers that stay behind the socket's handlers must not see frames.
        guard let context = contexts?.value.handler else { return channel.close(promise: nil) }
        var data = channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        data.writeInteger(code)
        data.writeString(reason)
        let written = context.writeAndFlush(NIOAny(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)))
        if isAnswer {
            written.whenComplete { _ in channel.close(promise: nil) }
        } else {
            eventLoop.scheduleTask(in: Self.closeGracePeriod) { channel.close(promise: nil) }
        }
    }

    /// Whether this side already sent its close frame.
    var hasSentClose: Bool { state.withLock { $0.hasSentClose } }

    /// Stops taking items and forgets what is queued and the handler's place (the socket ended).
    func finish() {
        state.withLock { state in
            state.isFinished = true
            state.queue = []
            state.contexts = nil
        }
    }
}
