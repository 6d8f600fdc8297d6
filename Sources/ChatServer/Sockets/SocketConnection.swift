import ChatEngine
import NIOCore
import Synchronization

/// One socket's outbound side: a bounded queue that deliveries are dropped into without
/// waiting, drained by the socket's own writer task in batches. A reader that falls more than
/// `limit` frames behind is cut off instead of buffered forever.
final class SocketConnection: Sendable {
    /// An item for the writer.
    enum Outbound: Sendable {
        case frame(ByteBuffer)
        case close(ByteBuffer?, code: UInt16)
    }

    private struct State {
        var queue: [Outbound] = []
        var waiter: CheckedContinuation<[Outbound], Never>?
        var isFinished = false
    }

    /// The engine session this socket is.
    let session: SessionID
    private let limit: Int
    private let state = Mutex(State())
    /// Cuts the socket off when its reader falls `limit` frames behind.
    private let cutOff: @Sendable () -> Void

    init(session: SessionID, limit: Int, cutOff: @escaping @Sendable () -> Void) {
        self.session = session
        self.limit = limit
        self.cutOff = cutOff
    }

    /// Queues an item; returns false (and cuts the socket off) when the queue is full.
    @discardableResult
    func enqueue(_ item: Outbound) -> Bool {
        let overflowed = state.withLock { state -> Bool in
            guard !state.isFinished else { return false }
            if state.queue.count >= limit, case .frame = item {
                state.isFinished = true
                state.queue = []
                state.waiter.take()?.resume(returning: [])
                return true
            }
            state.queue.append(item)
            if case .close = item { state.isFinished = true }
            if let waiter = state.waiter.take() {
                waiter.resume(returning: state.queue)
                state.queue = []
            }
            return false
        }
        if overflowed { cutOff() }
        return !overflowed
    }

    /// The next batch of items in order; empty once the queue is finished and drained.
    func nextBatch() async -> [Outbound] {
        await withCheckedContinuation { continuation in
            state.withLock { state in
                if !state.queue.isEmpty {
                    let batch = state.queue
                    state.queue = []
                    continuation.resume(returning: batch)
                } else if state.isFinished {
                    continuation.resume(returning: [])
                } else {
                    state.waiter = continuation
                }
            }
        }
    }

    /// Stops the queue: the writer drains what is queued and ends.
    func finish() {
        state.withLock { state in
            state.isFinished = true
            if state.queue.isEmpty {
                state.waiter.take()?.resume(returning: [])
            }
        }
    }
}
