import ChatWire
import NIOCore
import NIOWebSocket

/// A socket of the ceiling server, after NIO's upgrader put the WebSocket frame codec in front
/// of it: each text frame `{"message":<string>}` is published to its room as a message frame
/// of the seed's shape; pings are answered, a close is echoed. Nothing else is checked.
final class CeilingSocketHandler: ChannelInboundHandler, @unchecked Sendable {
    // Sendable: rooms and outboxes hold it across threads, but it is only ever used on its own
    // channel's event loop (outboxes drain on the loop the socket joined from).
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private static let messagePrefix = Array(#"{"message":"#.utf8)

    private let hub: CeilingHub
    private let room: CeilingRoom
    private let user: CeilingHub.User
    private var context: ChannelHandlerContext?
    /// NIO's frame encoder's place: encoded frames are written there, past the encoder.
    private var encoder: ChannelHandlerContext?
    private var loop: ObjectIdentifier?
    /// Frames an outbox drain appended, written and flushed at the drain's end.
    private var appended = WireFrameRun()

    init(hub: CeilingHub, room: CeilingRoom, user: CeilingHub.User) {
        self.hub = hub
        self.room = room
        self.user = user
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        encoder = try? context.pipeline.syncOperations.context(handlerType: WebSocketFrameEncoder.self)
        let loop = ObjectIdentifier(context.eventLoop)
        self.loop = loop
        room.join(self, userID: user.id, loop: loop)
    }

    func channelInactive(context: ChannelHandlerContext) {
        leave()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        leave()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            var payload = frame.unmaskedData
            guard let bytes = payload.readBytes(length: payload.readableBytes),
                  bytes.count > Self.messagePrefix.count + 1, bytes.starts(with: Self.messagePrefix), bytes.last == UInt8(ascii: "}")
            else { return }
            let text = bytes[Self.messagePrefix.count..<(bytes.count - 1)]
            publish(text: text, allocator: context.channel.allocator)
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .connectionClose:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: frame.unmaskedData)))
                .whenComplete { _ in context.close(promise: nil) }
        default:
            break
        }
    }

    /// Appends an encoded frame for the socket; true when the socket had nothing appended yet
    /// (the drain then calls ``writeAppended()`` once); false also when the socket is gone.
    func append(_ frame: ByteBuffer) -> Bool {
        guard let context, encoder != nil else { return false }
        let isFirst = appended.isEmpty
        appended.append(frame, allocator: context.channel.allocator)
        return isFirst
    }

    /// Writes what was appended, as one buffer, and flushes.
    func writeAppended() {
        guard let bytes = appended.take(), let encoder, let context else { return }
        encoder.write(NIOAny(bytes), promise: nil)
        context.flush()
    }

    /// `text` is the sent message's JSON string, quotes included, copied as it came.
    private func publish(text: ArraySlice<UInt8>, allocator: ByteBufferAllocator) {
        room.publish(hub: hub) { id, seq in
            CeilingFrame.message(
                id: id, roomID: room.id, roomName: room.name, seq: seq, username: user.name, text: text,
                timestamp: CeilingTimestamp.now(), allocator: allocator
            )
        }
    }

    private func leave() {
        guard let loop else { return }
        self.loop = nil
        context = nil
        encoder = nil
        _ = appended.take()
        room.leave(self, userID: user.id, loop: loop)
    }
}
