import Dispatch
import NIOPosix
import Synchronization

/// Batches concurrent appends into one transaction: while a batch commits, new appends
/// queue up and go together in the next one. Every caller resumes only after its own batch
/// committed, or with the batch's error. After a failure every later append fails at once
/// until ``reopen()``.
///
/// Batches commit on one serial queue of their own, synchronously, and completions run there:
/// an append costs one thread hop to the committer and one from it, not a task and an
/// asynchronous database call. An append made on one of NIO's event loops wakes the committer
/// only once the loop is done with what it is doing (the frames of one read, say): the commands
/// of one read commit together, and the committer is woken once for them, not once for the first
/// and again for the rest.
final class GroupCommit: Sendable {
    typealias Commit = @Sendable ([StoreWrite]) throws -> Void

    /// Called once with the outcome of an append's batch.
    typealias Completion = @Sendable (Result<Void, StoreError>) -> Void

    private struct Waiter {
        let writes: [StoreWrite]
        let completion: Completion
    }

    private struct State {
        var waiting: [Waiter] = []
        var isCommitting = false
        var failure: StoreError?
    }

    private let state = Mutex(State())
    private let commit: Commit
    private let queue = DispatchQueue(label: "chat.store.group-commit")

    /// Creates a batcher around `commit`, which must write all given writes in one transaction
    /// and should throw a ``StoreError`` describing a failure.
    init(commit: @escaping Commit) {
        self.commit = commit
    }

    /// Queues `writes` for the next batch without waiting. `completion` runs once the batch
    /// committed or failed — in the order the appends were queued, on the committer's queue,
    /// never while the caller's call is still running (a store that already failed answers
    /// there too, after the completions still running).
    /// An append without writes takes its turn too, so completions keep the queue's order.
    func enqueue(_ writes: [StoreWrite], completion: @escaping Completion) {
        enum Turn { case failed(StoreError), startsBatch, joinsBatch }
        let turn = state.withLock { state -> Turn in
            if let failure = state.failure { return .failed(failure) }
            state.waiting.append(Waiter(writes: writes, completion: completion))
            guard !state.isCommitting else { return .joinsBatch }
            state.isCommitting = true
            return .startsBatch
        }
        switch turn {
        case .failed(let failure): queue.async { completion(.failure(.unavailable(failure.message))) }
        case .startsBatch: startCommitting()
        case .joinsBatch: break
        }
    }

    /// Lets writes through again after a failure.
    func reopen() {
        state.withLock { $0.failure = nil }
    }

    /// The failure that closed the store to writes, if any.
    var failure: StoreError? { state.withLock { $0.failure } }

    /// Wakes the committer: at once, or from an event loop once the loop's current work is done
    /// (a task queued on the loop from the loop itself runs after it, even when the loop is
    /// shutting down, so the wake is never lost).
    private func startCommitting() {
        guard let loop = MultiThreadedEventLoopGroup.currentEventLoop else {
            return queue.async { self.commitUntilIdle() }
        }
        loop.execute { self.queue.async { self.commitUntilIdle() } }
    }

    private func commitUntilIdle() {
        while let batch = takeBatch() {
            do {
                let writes = batch.flatMap(\.writes)
                if !writes.isEmpty { try commit(writes) }
                for waiter in batch { waiter.completion(.success(())) }
            } catch {
                let failure = error as? StoreError ?? .writeFailed(detail: "\(error)")
                let abandoned = state.withLock { state -> [Waiter] in
                    state.failure = failure
                    defer { state.waiting = [] }
                    return state.waiting
                }
                for waiter in batch { waiter.completion(.failure(failure)) }
                for waiter in abandoned { waiter.completion(.failure(.unavailable(failure.message))) }
            }
        }
    }

    /// Takes every waiting append, or ends the committing phase when there are none.
    private func takeBatch() -> [Waiter]? {
        state.withLock { state in
            guard !state.waiting.isEmpty else {
                state.isCommitting = false
                return nil
            }
            defer { state.waiting = [] }
            return state.waiting
        }
    }
}
