import NIOConcurrencyHelpers
import NIOCore

/// One event loop's queue of frames to write: any thread enqueues a frame encoded for the wire
/// once, the loop drains everything queued in one go, joining each socket's frames into one
/// write and flushing it once.
final class CeilingOutbox: Sendable {
    private struct Pending {
        var frames: [(ByteBuffer, [CeilingSocketHandler])] = []
        var isDrainScheduled = false
    }

    let eventLoop: any EventLoop
    private let pending = NIOLockedValueBox(Pending())

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Queues `frame` (``WireFrame`` bytes) for `sockets` (all on this loop) and schedules a
    /// drain if none is due.
    func enqueue(_ frame: ByteBuffer, to sockets: [CeilingSocketHandler]) {
        let schedule = pending.withLockedValue { pending in
            pending.frames.append((frame, sockets))
            defer { pending.isDrainScheduled = true }
            return !pending.isDrainScheduled
        }
        if schedule { eventLoop.execute { self.drain() } }
    }

    private func drain() {
        let frames = pending.withLockedValue { pending in
            pending.isDrainScheduled = false
            defer { pending.frames.removeAll(keepingCapacity: true) }
            return pending.frames
        }
        var written: [CeilingSocketHandler] = []
        for (frame, sockets) in frames {
            for socket in sockets where socket.append(frame) {
                written.append(socket)
            }
        }
        for socket in written { socket.writeAppended() }
    }
}
