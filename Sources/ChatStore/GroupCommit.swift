import Synchronization

/// Batches concurrent appends into one transaction: while a batch commits, new appends
/// queue up and go together in the next one. Every caller resumes only after its own batch
/// committed, or with the batch's error. After a failure every later append fails at once
/// until ``reopen()``.
final class GroupCommit: Sendable {
    typealias Commit = @Sendable ([StoreWrite]) async throws -> Void

    private struct Waiter {
        let writes: [StoreWrite]
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var waiting: [Waiter] = []
        var isCommitting = false
        var failure: StoreError?
    }

    private let state = Mutex(State())
    private let commit: Commit

    /// Creates a batcher around `commit`, which must write all given writes in one transaction
    /// and should throw a ``StoreError`` describing a failure.
    init(commit: @escaping Commit) {
        self.commit = commit
    }

    /// Queues `writes` and returns once they are committed.
    func append(_ writes: [StoreWrite]) async throws(StoreError) {
        do {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let startsBatch = state.withLock { state -> Bool in
                    if let failure = state.failure {
                        continuation.resume(throwing: StoreError.unavailable(failure.message))
                        return false
                    }
                    state.waiting.append(Waiter(writes: writes, continuation: continuation))
                    guard !state.isCommitting else { return false }
                    state.isCommitting = true
                    return true
                }
                if startsBatch {
                    Task { await self.commitUntilIdle() }
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .writeFailed(detail: "\(error)")
        }
    }

    /// Lets writes through again after a failure.
    func reopen() {
        state.withLock { $0.failure = nil }
    }

    /// The failure that closed the store to writes, if any.
    var failure: StoreError? { state.withLock { $0.failure } }

    private func commitUntilIdle() async {
        while let batch = takeBatch() {
            do {
                try await commit(batch.flatMap(\.writes))
                for waiter in batch { waiter.continuation.resume() }
            } catch {
                let failure = error as? StoreError ?? .writeFailed(detail: "\(error)")
                let abandoned = state.withLock { state -> [Waiter] in
                    state.failure = failure
                    defer { state.waiting = [] }
                    return state.waiting
                }
                for waiter in batch { waiter.continuation.resume(throwing: failure) }
                for waiter in abandoned { waiter.continuation.resume(throwing: StoreError.unavailable(failure.message)) }
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
