import ChatWire
import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

@Suite struct WireFrameTests {
    @Test func aShortTextFrameIsRFC6455sExample() throws {
        // RFC 6455 §5.7: a single-frame unmasked text message "Hello".
        let wire = try #require(WireFrame.text(ByteBuffer(string: "Hello")))
        #expect(Array(wire.readableBytesView) == [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
    }

    @Test func aLongerFrameCarriesA16BitLength() throws {
        let payload = String(repeating: "x", count: 300)
        let wire = try #require(WireFrame.text(ByteBuffer(string: payload)))
        #expect(Array(wire.readableBytesView.prefix(4)) == [0x81, 0x7E, 0x01, 0x2C])
        #expect(String(decoding: wire.readableBytesView.dropFirst(4), as: UTF8.self) == payload)
    }

    @Test func aFrameOver65535BytesCarriesA64BitLength() throws {
        let payload = ByteBuffer(repeating: UInt8(ascii: "y"), count: 70_000)
        let wire = try #require(WireFrame.text(payload))
        #expect(Array(wire.readableBytesView.prefix(10)) == [0x81, 0x7F, 0, 0, 0, 0, 0, 0x01, 0x11, 0x70])
        #expect(wire.readableBytes == 70_010)
    }

    @Test func thePayloadIsSharedNotConsumed() throws {
        let payload = ByteBuffer(string: "same for everyone")
        let first = try #require(WireFrame.text(payload))
        let second = try #require(WireFrame.text(payload))
        #expect(first == second)
        #expect(payload.readableBytes == 17)
    }

    /// A second payload of a length seen before gets the header remembered from the first: it
    /// must be byte for byte what NIO's encoder writes for that payload, at every header size
    /// and on both sides of the remembered range.
    @Test(arguments: [0, 1, 125, 126, 300, WireFrame.remembersHeadersBelow - 1, WireFrame.remembersHeadersBelow, 65_536])
    func aRememberedHeaderIsTheEncodersOwn(length: Int) throws {
        let first = ByteBuffer(repeating: UInt8(ascii: "a"), count: length)
        let second = ByteBuffer(repeating: UInt8(ascii: "b"), count: length)
        #expect(try #require(WireFrame.text(first)) == Self.encodedByNIO(first))
        #expect(try #require(WireFrame.text(second)) == Self.encodedByNIO(second))
        #expect(try #require(WireFrame.text(second)) == Self.encodedByNIO(second))
    }

    /// A payload given as bytes makes the same frame as the same payload in a buffer, whether
    /// its length's header is still to be written by NIO (the first payload, of a length no
    /// other test uses) or remembered (the second).
    @Test(arguments: [2, 127, 4_001, WireFrame.remembersHeadersBelow - 2, WireFrame.remembersHeadersBelow + 1])
    func bytesAndBuffersMakeTheSameFrame(length: Int) throws {
        let first = [UInt8](repeating: UInt8(ascii: "c"), count: length)
        let second = [UInt8](repeating: UInt8(ascii: "d"), count: length)
        #expect(try #require(WireFrame.text(first)) == Self.encodedByNIO(ByteBuffer(bytes: first)))
        #expect(try #require(WireFrame.text(second)) == Self.encodedByNIO(ByteBuffer(bytes: second)))
        #expect(try #require(WireFrame.text(second)) == #require(WireFrame.text(ByteBuffer(bytes: second))))
    }

    /// `payload` through a fresh `WebSocketFrameEncoder`, its output parts joined.
    private static func encodedByNIO(_ payload: ByteBuffer) throws -> ByteBuffer {
        let channel = EmbeddedChannel(handler: WebSocketFrameEncoder())
        try channel.writeOutbound(WebSocketFrame(fin: true, opcode: .text, data: payload))
        var wire = ByteBuffer()
        while var part = try channel.readOutbound(as: ByteBuffer.self) { wire.writeBuffer(&part) }
        _ = try channel.finish()
        return wire
    }
}
