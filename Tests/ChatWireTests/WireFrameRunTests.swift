import ChatWire
import NIOCore
import Testing

@Suite struct WireFrameRunTests {
    private let allocator = ByteBufferAllocator()

    private func frame(_ text: String) throws -> ByteBuffer {
        try #require(WireFrame.text(ByteBuffer(string: text)))
    }

    @Test func anEmptyRunGivesNothing() {
        var run = WireFrameRun()
        #expect(run.isEmpty)
        #expect(run.take() == nil)
    }

    @Test func aLoneFrameIsWrittenAsItIs() throws {
        let one = try frame("one")
        var run = WireFrameRun()
        run.append(one, allocator: allocator)
        #expect(!run.isEmpty)
        let taken = run.take()
        #expect(taken == one)
        #expect(run.isEmpty)
    }

    @Test func framesAreJoinedInOrderAndTheSharedOnesAreLeftAlone() throws {
        let texts = (1...50).map { "message \($0) " + String(repeating: "x", count: $0 * 7) }
        let frames = try texts.map(frame)
        var run = WireFrameRun()
        for frame in frames { run.append(frame, allocator: allocator) }
        let joined = run.take()
        var expected = ByteBuffer()
        for frame in frames { expected.writeImmutableBuffer(frame) }
        #expect(joined == expected)
        // Every recipient shares the frames: joining copies them, it does not write into them.
        #expect(frames == (try texts.map(frame)))
    }

    @Test func aTakenRunStartsAgainEmpty() throws {
        var run = WireFrameRun()
        run.append(try frame("a"), allocator: allocator)
        run.append(try frame("b"), allocator: allocator)
        _ = run.take()
        run.append(try frame("c"), allocator: allocator)
        #expect(run.take() == (try frame("c")))
    }
}
