import NIOCore
import NIOEmbedded
import NIOPosix
import NIOWebSocket

/// A server text frame as the bytes that go on the wire, encoded once for all its recipients by
/// NIO's own `WebSocketFrameEncoder`, so that each socket writes the finished bytes instead of
/// encoding the same frame again.
public enum WireFrame {
    /// NIO's encoder in an embedded channel, one per thread (an embedded channel must stay on
    /// the thread that made it).
    private final class Encoder {
        let channel = EmbeddedChannel(handler: WebSocketFrameEncoder())
    }

    /// Each thread sees only its own encoder, so sharing the variable is safe.
    nonisolated(unsafe) private static let encoders = ThreadSpecificVariable<Encoder>()

    /// `payload` as an unmasked, final text frame; nil if the encoder failed (the socket then
    /// encodes the frame itself).
    public static func text(_ payload: ByteBuffer) -> ByteBuffer? {
        let encoder = encoders.currentValue ?? {
            let encoder = Encoder()
            encoders.currentValue = encoder
            return encoder
        }()
        do {
            // Straight through the pipeline: `writeOutbound` would also make a promise, wait on
            // its future and copy the outbound buffer into an array, for every frame.
            encoder.channel.pipeline.syncOperations.writeAndFlush(NIOAny(WebSocketFrame(fin: true, opcode: .text, data: payload)), promise: nil)
            try encoder.channel.throwIfErrorCaught()
            var wire = ByteBuffer()
            wire.reserveCapacity(payload.readableBytes + 10)
            while var part = try encoder.channel.readOutbound(as: ByteBuffer.self) {
                wire.writeBuffer(&part)
            }
            return wire
        } catch {
            return nil
        }
    }
}
