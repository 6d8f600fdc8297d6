import NIOCore
import NIOHTTP1
import NIOWebSocket

/// One load socket, as a NIO channel handler on its room's event loop. swift-nio performs the
/// WebSocket upgrade (`NIOWebSocketClientUpgrader`) and the framing (`WebSocketFrameDecoder` /
/// `WebSocketFrameEncoder`); this handler reads each frame's payload in place (no JSON decoding),
/// checks each message's seq and id, records its latency and, for a sender, sends as many
/// messages as came back of its own once each read burst ends (acknowledgement-paced mode).
///
/// Its per-frame state is marked `@exclusivity(unchecked)`, as ``LoadLoop`` explains.
final class LoadSocketHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    /// Bytes reserved in front of each outgoing payload so that NIO's encoder can prepend the
    /// frame header in place rather than writing it as a separate buffer.
    private static let frameHeaderRoom = 14

    /// The socket's event loop state.
    let loop: LoadLoop
    /// The socket's room.
    let room: LoadRoomState
    /// The sender number put in this socket's messages (`s=`); nil for a receiver only.
    let sender: Int?
    /// The cluster node this socket is on, of how many (socket i is on node i mod count).
    let node: (index: Int, count: Int)
    private let opened: EventLoopPromise<Void>
    private var context: ChannelHandlerContext?
    private var isUpgraded = false
    private var openedCompleted = false
    /// A fragmented text message being reassembled.
    private var fragments: ByteBuffer?
    /// The generator of frame masks (masks only need to vary, not to be secret here).
    private var masks: MaskGenerator
    /// Set when the load itself closes the socket.
    private var closing = false
    private var closeCounted = false
    @exclusivity(unchecked) private(set) var isClosed = false

    /// The last seq received (starts at the room's baseline).
    @exclusivity(unchecked) private(set) var lastSeq = 0
    @exclusivity(unchecked) private var lastID = 0
    /// Message frames received once.
    @exclusivity(unchecked) private(set) var received = 0
    /// Message frames received again (a seq at or below the last one).
    @exclusivity(unchecked) private(set) var duplicates = 0
    /// Seqs skipped over (a frame whose seq is more than one past the last).
    @exclusivity(unchecked) private(set) var gaps = 0
    /// Messages whose id was not above the previous message's.
    @exclusivity(unchecked) private(set) var idRegressions = 0

    /// This sender's last message counter (`k=`).
    @exclusivity(unchecked) private var counter = 0
    /// Messages sent whose own frame has not come back yet.
    @exclusivity(unchecked) private var inFlight = 0
    /// The counter of the last own message that came back.
    @exclusivity(unchecked) private var returnedCounter = 0
    /// An own message came back in the read burst being handled: the window is refilled (and
    /// flushed once) when the burst ends, not once per acknowledgement.
    @exclusivity(unchecked) private var needsRefill = false
    /// Own messages that came back out of the order they were sent in.
    @exclusivity(unchecked) private(set) var ownOutOfOrder = 0

    init(loop: LoadLoop, room: LoadRoomState, sender: Int?, seed: UInt64, node: (index: Int, count: Int), opened: EventLoopPromise<Void>) {
        self.node = node
        self.loop = loop
        self.room = room
        self.sender = sender
        self.masks = MaskGenerator(state: seed | 1)
        self.opened = opened
    }

    // MARK: Pipeline

    /// Sets up `channel` (on its event loop) as a WebSocket client of `path` on `host:port`,
    /// authenticated with `token`, with `handler` added once the server has switched protocols.
    static func configure(
        _ channel: any Channel, handler: LoadSocketHandler, path: String, host: String, port: Int, token: String
    ) throws {
        try WebSocketUpgradeRequester.configure(
            channel, handler: handler, path: path, host: host, port: port, token: token, onFailure: handler.upgradeFailed
        )
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        isUpgraded = true
        completeOpened(.success(()))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !isClosed else { return }
        frame(unwrapInboundIn(data), context: context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if needsRefill {
            needsRefill = false
            fillWindow()
        }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        isClosed = true
        if !closing && !closeCounted {
            closeCounted = true
            loop.stats.unexpectedCloses += 1
        }
        self.context = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        completeOpened(.failure(error))
        context.close(promise: nil)
    }

    /// The upgrade did not happen: the socket never opened.
    func upgradeFailed(_ error: any Error) {
        isClosed = true
        completeOpened(.failure(error))
    }

    // MARK: Load control

    /// Starts checking seqs from `baseline`, the room's last seq before sending starts.
    func startChecking(after baseline: Int) {
        lastSeq = baseline
    }

    /// Closes the socket on the load's behalf (not counted as an error).
    func close() {
        closing = true
        context?.close(promise: nil)
    }

    /// Acknowledgement pacing: sends messages until the loop's window is in flight (or sending
    /// stops), flushing once. Called at the start and at the end of each read burst that brought
    /// back own messages, so a burst of acknowledgements becomes one write.
    func fillWindow() {
        guard let context else { return }
        var wrote = false
        while inFlight < loop.window, loop.claimSend(now: loop.clock.nanoseconds()) {
            guard sendNext(now: loop.clock.nanoseconds(), flush: false) else { break }
            wrote = true
        }
        if wrote { context.flush() }
    }

    /// Sends the next message, stamped `now`; false when the socket cannot send.
    @discardableResult
    func sendNext(now: UInt64, flush: Bool = true) -> Bool {
        guard let context, let sender, !isClosed else { return false }
        counter += 1
        let json = Self.sendFrameJSON(sentAt: now, sender: sender, counter: counter)
        var buffer = context.channel.allocator.buffer(capacity: Self.frameHeaderRoom + json.utf8.count)
        buffer.moveWriterIndex(forwardBy: Self.frameHeaderRoom)
        buffer.moveReaderIndex(forwardBy: Self.frameHeaderRoom)
        buffer.writeString(json)
        inFlight += 1
        loop.stats.sent += 1
        room.sent += 1
        let frame = WebSocketFrame(fin: true, opcode: .text, maskKey: .random(using: &masks), data: buffer)
        if flush {
            context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
        } else {
            context.write(wrapOutboundOut(frame), promise: nil)
        }
        return true
    }

    /// The text of one load message, which says when it was sent (`t=`, ns since the load's
    /// clock origin), by which sender (`s=`) and which of theirs it is (`k=`).
    static func sendFrameJSON(sentAt: UInt64, sender: Int, counter: Int) -> String {
        "{\"message\":\"t=\(sentAt) s=\(sender) k=\(counter)\"}"
    }

    // MARK: Reading

    private func completeOpened(_ result: Result<Void, any Error>) {
        guard !openedCompleted else { return }
        openedCompleted = true
        opened.completeWith(result)
    }

    private func frame(_ frame: WebSocketFrame, context: ChannelHandlerContext) {
        switch frame.opcode {
        case .text:
            if frame.fin {
                frame.unmaskedData.withUnsafeReadableBytes { text($0) }
            } else {
                var start = context.channel.allocator.buffer(capacity: frame.length * 2)
                var payload = frame.unmaskedData
                start.writeBuffer(&payload)
                fragments = start
            }
        case .continuation:
            guard var message = fragments else { return }
            var payload = frame.unmaskedData
            message.writeBuffer(&payload)
            if frame.fin {
                fragments = nil
                message.withUnsafeReadableBytes { text($0) }
            } else {
                fragments = message
            }
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(using: &masks), data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            var payload = frame.unmaskedData
            let code = payload.readInteger(as: UInt16.self).map(Int.init) ?? 1005
            loop.stats.closeCodes[code, default: 0] += 1
            if !closing, !closeCounted {
                closeCounted = true
                loop.stats.unexpectedCloses += 1
            }
            isClosed = true
            context.close(promise: nil)
        default:
            break
        }
    }

    private func text(_ payload: UnsafeRawBufferPointer) {
        switch LoadFrameScanner.scan(payload) {
        case .message(let message):
            delivered(message)
        case .typing:
            break
        case .error:
            loop.stats.errorFrames += 1
            if loop.stats.firstErrorFrame == nil { loop.stats.firstErrorFrame = String(decoding: payload, as: UTF8.self) }
        case .unknown:
            loop.stats.unreadableFrames += 1
        }
    }

    @inline(__always)
    private func delivered(_ message: LoadFrameScanner.Message) {
        let now = loop.clock.nanoseconds()
        let stats = loop.stats
        stats.deliveries += 1
        stats.lastDeliveryAt = now
        let latency = now >= message.sentAt ? now - message.sentAt : 0
        LoadLoopStats.record(latency, into: &stats.delivery)
        if node.count > 1, message.sender % node.count != node.index { LoadLoopStats.record(latency, into: &stats.crossNodeDelivery) }
        guard room.started else { return }
        room.check(seq: message.seq, id: message.id, roomID: message.roomID)
        guard message.seq > lastSeq else {
            duplicates += 1
            return
        }
        gaps += message.seq - lastSeq - 1
        lastSeq = message.seq
        received += 1
        if message.id <= lastID { idRegressions += 1 }
        lastID = message.id
        guard let sender, message.sender == sender else { return }
        stats.acknowledged += 1
        stats.lastAcknowledgementAt = now
        room.acknowledged += 1
        LoadLoopStats.record(latency, into: &stats.acknowledgement)
        if message.counter != returnedCounter + 1 { ownOutOfOrder += 1 }
        returnedCounter = message.counter
        inFlight = max(inFlight - 1, 0)
        if loop.isAcknowledgementPaced { needsRefill = true }
    }
}
