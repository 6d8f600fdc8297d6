import NIOCore
import NIOEmbedded
import NIOPosix
import NIOWebSocket

/// A server text frame as the bytes that go on the wire, encoded once for all its recipients by
/// NIO's own `WebSocketFrameEncoder`, so that each socket writes the finished bytes instead of
/// encoding the same frame again.
///
/// The header of an unmasked, final text frame depends on nothing but the payload's length, so
/// the header NIO's encoder wrote for a length is kept (per thread, for payloads under
/// ``remembersHeadersBelow`` bytes) and put before the next payload of that length without
/// going through the encoder's pipeline again, which cost more than everything else here.
public enum WireFrame {
    /// Payload lengths whose headers are remembered: the lengths below this one. Their headers
    /// take at most four bytes (RFC 6455 §5.2: two, or four with a 16-bit length).
    public static let remembersHeadersBelow = 16_384

    /// NIO's encoder in an embedded channel, one per thread (an embedded channel must stay on
    /// the thread that made it), and the headers it wrote, by payload length.
    private final class Encoder {
        let channel = EmbeddedChannel(handler: WebSocketFrameEncoder())
        /// The header NIO wrote for each payload length seen so far (nil: not seen yet).
        var headers: [FrameHeaderBytes?] = []

        /// The header remembered for a payload of `length` bytes, if any.
        func header(forLength length: Int) -> FrameHeaderBytes? {
            length < headers.count ? headers[length] : nil
        }
    }

    /// A header as NIO's encoder wrote it: `count` bytes, first byte lowest in `bytes`.
    private struct FrameHeaderBytes {
        let bytes: UInt32
        let count: UInt8

        /// The first `wire.readableBytes - payloadLength` bytes of `wire`, if there are two to four.
        init?(of wire: ByteBuffer, payloadLength: Int) {
            let count = wire.readableBytes - payloadLength
            guard (2...4).contains(count) else { return nil }
            self.count = UInt8(count)
            var bytes: UInt32 = 0
            for (shift, byte) in wire.readableBytesView.prefix(count).enumerated() {
                bytes |= UInt32(byte) << (8 * shift)
            }
            self.bytes = bytes
        }

        func write(to buffer: inout ByteBuffer) {
            _ = withUnsafeBytes(of: bytes.littleEndian) { buffer.writeBytes($0.prefix(Int(count))) }
        }
    }

    /// Each thread sees only its own encoder, so sharing the variable is safe.
    nonisolated(unsafe) private static let encoders = ThreadSpecificVariable<Encoder>()

    /// `payload` as an unmasked, final text frame; nil if the encoder failed (the socket then
    /// encodes the frame itself).
    public static func text(_ payload: ByteBuffer) -> ByteBuffer? {
        let encoder = currentEncoder
        return behindRememberedHeader(payloadLength: payload.readableBytes, by: encoder) { $0.writeImmutableBuffer(payload) }
            ?? encoded(payload, by: encoder)
    }

    /// `payload` as an unmasked, final text frame, written into one new buffer straight after
    /// its header when that is remembered; nil if the encoder failed.
    public static func text(_ payload: [UInt8]) -> ByteBuffer? {
        let encoder = currentEncoder
        return behindRememberedHeader(payloadLength: payload.count, by: encoder) { $0.writeBytes(payload) }
            ?? encoded(ByteBuffer(bytes: payload), by: encoder)
    }

    /// A new buffer holding the header remembered for `payloadLength` and what `writePayload`
    /// writes after it; nil when no header is remembered for that length.
    private static func behindRememberedHeader(
        payloadLength: Int, by encoder: Encoder, writePayload: (inout ByteBuffer) -> Void
    ) -> ByteBuffer? {
        guard let header = encoder.header(forLength: payloadLength) else { return nil }
        var wire = ByteBuffer()
        wire.reserveCapacity(Int(header.count) + payloadLength)
        header.write(to: &wire)
        writePayload(&wire)
        return wire
    }

    /// This thread's encoder.
    private static var currentEncoder: Encoder {
        if let encoder = encoders.currentValue { return encoder }
        let encoder = Encoder()
        encoders.currentValue = encoder
        return encoder
    }

    /// `payload` encoded by NIO's encoder, whose header is then remembered for its length.
    private static func encoded(_ payload: ByteBuffer, by encoder: Encoder) -> ByteBuffer? {
        let length = payload.readableBytes
        do {
            // Straight through the pipeline: `writeOutbound` would also make a promise, wait on
            // its future and copy the outbound buffer into an array, for every frame.
            encoder.channel.pipeline.syncOperations.writeAndFlush(NIOAny(WebSocketFrame(fin: true, opcode: .text, data: payload)), promise: nil)
            try encoder.channel.throwIfErrorCaught()
            var wire = ByteBuffer()
            wire.reserveCapacity(length + 10)
            while var part = try encoder.channel.readOutbound(as: ByteBuffer.self) {
                wire.writeBuffer(&part)
            }
            if length < remembersHeadersBelow, let header = FrameHeaderBytes(of: wire, payloadLength: length) {
                if encoder.headers.count <= length {
                    encoder.headers.append(contentsOf: repeatElement(nil, count: length + 1 - encoder.headers.count))
                }
                encoder.headers[length] = header
            }
            return wire
        } catch {
            return nil
        }
    }
}
