import ChatEngine
import ChatStore
import Logging
import Synchronization

/// The engine's one owner. A command runs under a lock; its facts are queued to the store
/// under the same lock, so they commit in engine order; its deliveries go to the outbox only
/// once its batch committed, in that same order. Nothing is acknowledged before it is stored.
///
/// With a store several nodes share, commands take their turn at the ordering point instead
/// (``ClusterNode``): they run on the engine caught up with every node's commits.
final class ChatCore: Sendable {
    private enum Health {
        case ready
        case recovering(String)
    }

    let store: any ChatStore
    let outbox: any ChatOutbox
    let observer: any ServiceObserver
    let logger: Logger
    /// Where the engine's instants come from.
    let clock: any ChatClock
    /// Which sessions are v1 sockets (the rest are seed sockets).
    let v1Sessions = V1Sessions()
    private let configuration: ChatConfiguration
    private let engine: Mutex<ChatEngine>
    private let health = Mutex(Health.ready)
    private let typingTimer: TypingTimer
    private let renderer: DeliveryRenderer
    private let handOver: DeliveryHandOver
    /// This node's place among several sharing the store; nil for a store of its own.
    private let cluster: ClusterNode?

    /// Rebuilds the engine from the store.
    init(
        store: any ChatStore, configuration: ChatConfiguration, nodeLease: Duration, clock: any ChatClock, outbox: any ChatOutbox,
        observer: any ServiceObserver, logger: Logger, renderer: DeliveryRenderer, newSession: @escaping @Sendable () -> SessionID
    ) async throws {
        self.store = store
        self.renderer = renderer
        self.clock = clock
        typingTimer = TypingTimer(clock: clock)
        self.configuration = configuration
        self.outbox = outbox
        handOver = DeliveryHandOver(outbox)
        self.observer = observer
        self.logger = logger
        if let shared = store as? any SharedChatStore {
            let (facts, position) = try await shared.recoverWithPosition(window: configuration.recentMessagesPerRoom)
            engine = Mutex(try ChatEngine(configuration: configuration, restoring: facts))
            cluster = ClusterNode(store: shared, position: position, lease: nodeLease, logger: logger, newSession: newSession)
        } else {
            let facts = try await store.recover(window: configuration.recentMessagesPerRoom)
            engine = Mutex(try ChatEngine(configuration: configuration, restoring: facts))
            cluster = nil
        }
        cluster?.start(self)
    }

    /// This node's name among the nodes sharing the store (nil for a store of its own).
    var node: String? { cluster?.name }

    /// Stops this node's part in the cluster (see ``ChatService/leaveCluster(releasingLease:)``).
    func leaveCluster(releasingLease: Bool) async {
        await cluster?.stop(releasingLease: releasingLease)
    }

    /// With several nodes: calls `handler` with the hash of every token revoked through another node.
    func onRemoteLogout(_ handler: @escaping @Sendable ([UInt8]) -> Void) {
        cluster?.onLogout(handler)
    }

    /// With several nodes: tells the others that the token with `hash` was revoked here.
    func announceLogout(_ hash: [UInt8]) async {
        await cluster?.announceLogout(hash)
    }

    /// Whether the server can take writes (false while it rebuilds after a storage failure).
    var isHealthy: Bool {
        health.withLock { if case .ready = $0 { true } else { false } }
    }

    /// Reads the engine's state under the lock.
    func read<T: Sendable>(_ body: (borrowing ChatEngine) -> T) -> T {
        engine.withLock { body($0) }
    }

    /// Runs `command` now, waits until its facts (and `extraWrites` of its reply) are stored,
    /// then hands its deliveries to the outbox and returns the engine's answer.
    func execute(_ command: Command, extraWrites: @escaping @Sendable (Reply) -> [StoreWrite] = { _ in [] }) async throws(StoreError) -> Result<Reply, Rejection> {
        let stored = await withCheckedContinuation { continuation in
            submit(command, extraWrites: extraWrites) { continuation.resume(returning: $0) }
        }
        return try stored.get()
    }

    /// Runs `command` now and calls `completion` once its facts (and `extraWrites` of its
    /// reply) are stored and its deliveries are handed to the outbox — with the engine's
    /// answer, or the storage failure. Completions run in the order commands ran, on the
    /// store's committer: keep them short.
    func submit(
        _ command: Command, extraWrites: @escaping @Sendable (Reply) -> [StoreWrite] = { _ in [] },
        completion: @escaping @Sendable (Result<Result<Reply, Rejection>, StoreError>) -> Void
    ) {
        // Every message takes this path: it wraps no closure around `completion` but the one
        // that finishes the command.
        if case .recovering(let reason) = health.withLock({ $0 }) { return completion(.failure(.unavailable(reason))) }
        let acceptedAt = ContinuousClock.now
        if let cluster {
            cluster.enqueue(.command(CommandTurn(
                command: command,
                run: { [self] in engine.withLock { run(command, on: &$0, acceptedAt: acceptedAt, extraWrites: extraWrites, completion: completion) } },
                declined: {}, failed: { completion(.failure($0)) })))
            return
        }
        engine.withLock { engine in
            let ran = run(command, on: &engine, acceptedAt: acceptedAt, extraWrites: extraWrites, completion: completion)
            store.enqueue(ran.writes, completion: ran.finish)
        }
    }

    /// ``submit(_:extraWrites:completion:)`` preceded, under the same lock, by `prepare`: it
    /// reads what the caller needs from the engine as it stands when the command runs (what a
    /// resuming subscriber missed), and hands it to `completion` with the answer; or it returns
    /// nil to leave the command unrun (the caller reads more and tries again), and `completion`
    /// gets nil at once.
    func submit<Prepared: Sendable>(
        _ command: Command, extraWrites: @escaping @Sendable (Reply) -> [StoreWrite] = { _ in [] },
        prepare: @escaping @Sendable (borrowing ChatEngine) -> Prepared?,
        completion: @escaping @Sendable (Result<(Result<Reply, Rejection>, Prepared)?, StoreError>) -> Void
    ) {
        if case .recovering(let reason) = health.withLock({ $0 }) { return completion(.failure(.unavailable(reason))) }
        let acceptedAt = ContinuousClock.now
        let run: @Sendable (inout ChatEngine) -> RanCommand? = { [self] engine in
            guard let prepared = prepare(engine) else { return nil }
            return self.run(command, on: &engine, acceptedAt: acceptedAt, extraWrites: extraWrites) { outcome in
                completion(outcome.map { ($0, prepared) })
            }
        }
        if let cluster {
            cluster.enqueue(.command(CommandTurn(
                command: command, run: { [self] in engine.withLock { run(&$0) } },
                declined: { completion(.success(nil)) }, failed: { completion(.failure($0)) })))
            return
        }
        let ran = engine.withLock { engine -> RanCommand? in
            guard let ran = run(&engine) else { return nil }
            store.enqueue(ran.writes, completion: ran.finish)
            return ran
        }
        if ran == nil { completion(.success(nil)) }
    }

    /// Runs `command` on `engine` and renders its deliveries; the result finishes it once its
    /// writes are stored (delivering, then calling `completion`) or failed.
    private func run(
        _ command: Command, on engine: inout ChatEngine, acceptedAt: ContinuousClock.Instant, extraWrites: (Reply) -> [StoreWrite],
        completion: @escaping @Sendable (Result<Result<Reply, Rejection>, StoreError>) -> Void
    ) -> RanCommand {
        let acknowledged: SessionID? = if case .send(_, _, _, _, let via) = command { via } else { nil }
        let outcome = engine.handle(command, at: clock.now())
        var writes: [StoreWrite] = []
        for case .fact(let fact) in outcome.events { writes.append(.fact(fact)) }
        if case .success(let reply) = outcome.result { writes += extraWrites(reply) }
        let deliveries = v1Sessions.withIDs {
            renderer.render(outcome.events, engine: engine, acceptedAt: acceptedAt, v1: $0, acknowledged: acknowledged)
        }
        let deliver = deliveries.isEmpty ? nil : handOver.prepare(deliveries)
        scheduleExpiry(at: engine.nextDeadline)
        return RanCommand(command: command, result: outcome.result, writes: writes) { [self] stored in
            switch stored {
            case .success:
                deliver?()
                if case .success(.sent) = outcome.result { observer.messageAccepted() }
                completion(.success(outcome.result))
            case .failure(let error):
                storageFailed(error)
                completion(.failure(error))
            }
        }
    }

    /// Applies what other nodes committed (in log order) and delivers what this node's sessions
    /// receive for it at once: it is stored already.
    func replicate(_ entries: [LogEntry]) throws(RestoreError) {
        guard !entries.isEmpty else { return }
        let acceptedAt = ContinuousClock.now
        try engine.withLock { engine throws(RestoreError) in
            for entry in entries {
                let events = try engine.replicate(entry.facts, at: clock.now())
                deliverNow(events, engine: engine, acceptedAt: acceptedAt)
            }
            scheduleExpiry(at: engine.nextDeadline)
        }
    }

    /// Runs a command for another node's session (it writes nothing) and delivers what this
    /// node's sessions receive for it at once; the engine's answer, or nil when it refused.
    func runRemote(_ command: Command) -> Reply? {
        engine.withLock { engine in
            let outcome = engine.handle(command, at: clock.now())
            deliverNow(outcome.events, engine: engine, acceptedAt: ContinuousClock.now)
            scheduleExpiry(at: engine.nextDeadline)
            return try? outcome.result.get()
        }
    }

    /// Makes sure a `tick` runs at the engine's next typing deadline.
    private func scheduleExpiry(at deadline: Instant?) {
        // Most commands leave no deadline: they make no closure either.
        guard let deadline else { return }
        typingTimer.schedule(deadline) { [weak self] in
            _ = try? await self?.execute(.tick)
        }
    }

    private func deliverNow(_ events: [Event], engine: borrowing ChatEngine, acceptedAt: ContinuousClock.Instant) {
        let deliveries = v1Sessions.withIDs {
            renderer.render(events, engine: engine, acceptedAt: acceptedAt, v1: $0, acknowledged: nil)
        }
        if !deliveries.isEmpty { handOver.prepare(deliveries)() }
    }

    /// Runs `body` once everything submitted before it is stored and delivered, on the store's
    /// committer: for an answer that must not overtake an earlier command's frames. With several
    /// nodes, also once this node has applied everything any node committed before the call.
    func afterSubmitted(_ body: @escaping @Sendable () -> Void) {
        if let cluster { return cluster.enqueue(.barrier(body)) }
        store.enqueue([]) { _ in body() }
    }

    /// A write failed: refuse writes, rebuild the engine from what is committed, and close
    /// every socket (its session is gone) so clients reconnect and resume.
    func storageFailed(_ error: StoreError) {
        let first = health.withLock { health -> Bool in
            guard case .ready = health else { return false }
            health = .recovering(error.message)
            return true
        }
        guard first else { return }
        logger.error("storage failed; rebuilding from the store", metadata: ["error": "\(error.message)"])
        if let cluster { return cluster.enqueue(.rebuild) }
        Task { await self.recover() }
    }

    private func recover() async {
        var delay = Duration.milliseconds(100)
        while true {
            do {
                let facts = try await store.recover(window: configuration.recentMessagesPerRoom)
                try rebuild(from: facts)
                return
            } catch {
                logger.error("recovery failed; retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }

    /// Replaces the engine with one rebuilt from `facts`, closes every socket and takes writes
    /// again; throws (changing nothing) when the facts do not rebuild an engine.
    func rebuild(from facts: [Fact]) throws {
        let rebuilt = try ChatEngine(configuration: configuration, restoring: facts)
        engine.withLock { $0 = rebuilt }
        outbox.closeAll(code: 1011)
        health.withLock { $0 = .ready }
        logger.notice("rebuilt from the store; accepting writes again")
    }

    /// The recent-message window a rebuild reads.
    var recoveryWindow: Int { configuration.recentMessagesPerRoom }
}
