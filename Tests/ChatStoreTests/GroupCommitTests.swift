import ChatEngine
@testable import ChatStore
import Foundation
import NIOPosix
import Synchronization
import Testing

@Suite struct GroupCommitTests {
    private let write = StoreWrite.fact(.userRegistered(User(id: UserID(1), username: "alice", registeredAt: .zero)))

    /// Appends made in one task of an event loop (the frames of one read) commit as one batch,
    /// however long the task takes between them: the committer is woken once the task is done.
    @Test func appendsMadeInOneTaskOfAnEventLoopCommitTogether() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let batches = Mutex<[Int]>([])
        let commit = GroupCommit { writes in batches.withLock { $0.append(writes.count) } }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            group.next().execute { [write] in
                commit.enqueue([write]) { _ in }
                // Woken at once, the committer would take the first append alone meanwhile.
                Thread.sleep(forTimeInterval: 0.05)
                commit.enqueue([write, write]) { _ in continuation.resume() }
            }
        }
        #expect(batches.withLock { $0 } == [3])
        try await group.shutdownGracefully()
    }

    /// Off any event loop, an append wakes the committer at once: it commits while its caller
    /// waits, with nothing else happening.
    @Test func anAppendOffAnyEventLoopCommitsAtOnce() {
        let batches = Mutex<[Int]>([])
        let commit = GroupCommit { writes in batches.withLock { $0.append(writes.count) } }
        let committed = DispatchSemaphore(value: 0)
        commit.enqueue([write]) { _ in committed.signal() }
        #expect(committed.wait(timeout: .now() + 10) == .success)
        #expect(batches.withLock { $0 } == [1])
    }
}
