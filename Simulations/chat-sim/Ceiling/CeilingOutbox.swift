import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket

/// One event loop's queue of frames to write: any thread enqueues, the loop drains everything
/// queued in one go, writing each frame to its sockets and flushing each socket once.
final class CeilingOutbox: Sendable {
    private struct Pending {
        var frames: [(WebSocketFrame, [CeilingSocketHandler])] = []
        var isDrainScheduled = false
    }

    let eventLoop: any EventLoop
    private let pending = NIOLockedValueBox(Pending())

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Queues `frame` for `sockets` (all on this loop) and schedules a drain if none is due.
    func enqueue(_ frame: WebSocketFrame, to sockets: [CeilingSocketHandler]) {
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
        var written: [ObjectIdentifier: CeilingSocketHandler] = [:]
        for (frame, sockets) in frames {
            for socket in sockets where socket.write(frame) {
                written[ObjectIdentifier(socket)] = socket
            }
        }
        for socket in written.values { socket.flush() }
    }
}
