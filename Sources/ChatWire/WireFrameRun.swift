import NIOCore

/// Encoded frames (``WireFrame``) bound for one socket, one after another, joined into one
/// buffer so that the socket gets one write for all of them instead of one per frame. A frame
/// shared by many sockets is copied into each socket's run, never encoded again; a run of one
/// frame is that frame itself, not a copy.
public struct WireFrameRun {
    private var bytes: ByteBuffer?
    private var isJoined = false
    /// The bytes the whole run is expected to take, so that joining allocates once.
    private let expectedBytes: Int

    /// A run expected to take `expectedBytes` bytes in all (a hint: it grows if it must).
    public init(expectedBytes: Int = 0) {
        self.expectedBytes = expectedBytes
    }

    /// Whether nothing was appended since the run was last taken.
    public var isEmpty: Bool { bytes == nil }

    /// Appends an encoded frame.
    public mutating func append(_ frame: ByteBuffer, allocator: ByteBufferAllocator) {
        guard var joined = bytes else {
            bytes = frame
            return
        }
        bytes = nil
        if !isJoined {
            var copy = allocator.buffer(capacity: max(expectedBytes, joined.readableBytes + frame.readableBytes))
            copy.writeImmutableBuffer(joined)
            joined = copy
            isJoined = true
        }
        joined.writeImmutableBuffer(frame)
        bytes = joined
    }

    /// The frames appended so far, as one buffer (nil if none); the run is empty afterwards.
    public mutating func take() -> ByteBuffer? {
        defer {
            bytes = nil
            isJoined = false
        }
        return bytes
    }
}
