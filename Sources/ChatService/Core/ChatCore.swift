import ChatEngine
import ChatStore
import Logging
import Synchronization

/// The engine's one owner. A command runs under a lock; its facts are queued to the store
/// under the same lock, so they commit in engine order; its deliveries go to the outbox only
/// once its batch committed, in that same order. Nothing is acknowledged before it is stored.
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

    /// Rebuilds the engine from the store.
    init(
        store: any ChatStore, configuration: ChatConfiguration, clock: any ChatClock, outbox: any ChatOutbox, observer: any ServiceObserver, logger: Logger,
        renderer: DeliveryRenderer
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
        let facts = try await store.recover(window: configuration.recentMessagesPerRoom)
        engine = Mutex(try ChatEngine(configuration: configuration, restoring: facts))
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
        submit(command, extraWrites: extraWrites, prepare: { _ in () }) { result in
            // `prepare` never declines, so there is always an answer.
            completion(result.map { $0!.0 })
        }
    }

    /// ``submit(_:extraWrites:completion:)`` preceded, under the same lock, by `prepare`: it
    /// reads what the caller needs from the engine as it stands when the command runs (what a
    /// resuming subscriber missed), and hands it to `completion` with the answer; or it returns
    /// nil to leave the command unrun (the caller reads more and tries again), and `completion`
    /// gets nil at once.
    func submit<Prepared: Sendable>(
        _ command: Command, extraWrites: @escaping @Sendable (Reply) -> [StoreWrite] = { _ in [] },
        prepare: (borrowing ChatEngine) -> Prepared?,
        completion: @escaping @Sendable (Result<(Result<Reply, Rejection>, Prepared)?, StoreError>) -> Void
    ) {
        if case .recovering(let reason) = health.withLock({ $0 }) { return completion(.failure(.unavailable(reason))) }
        let acceptedAt = ContinuousClock.now
        let acknowledged: SessionID? = if case .send(_, _, _, _, let via) = command { via } else { nil }
        let declined = engine.withLock { engine -> Bool in
            guard let prepared = prepare(engine) else { return true }
            let outcome = engine.handle(command, at: clock.now())
            var writes: [StoreWrite] = []
            for case .fact(let fact) in outcome.events { writes.append(.fact(fact)) }
            if case .success(let reply) = outcome.result { writes += extraWrites(reply) }
            let deliveries = v1Sessions.withIDs {
                renderer.render(outcome.events, engine: engine, acceptedAt: acceptedAt, v1: $0, acknowledged: acknowledged)
            }
            let deliver = deliveries.isEmpty ? nil : handOver.prepare(deliveries)
            typingTimer.schedule(engine.nextDeadline) { [weak self] in
                _ = try? await self?.execute(.tick)
            }
            store.enqueue(writes) { [self] stored in
                switch stored {
                case .success:
                    deliver?()
                    if case .success(.sent) = outcome.result { observer.messageAccepted() }
                    completion(.success((outcome.result, prepared)))
                case .failure(let error):
                    storageFailed(error)
                    completion(.failure(error))
                }
            }
            return false
        }
        if declined { completion(.success(nil)) }
    }

    /// Runs `body` once everything submitted before it is stored and delivered, on the store's
    /// committer: for an answer that must not overtake an earlier command's frames.
    func afterSubmitted(_ body: @escaping @Sendable () -> Void) {
        store.enqueue([]) { _ in body() }
    }

    /// A write failed: refuse writes, rebuild the engine from what is committed, and close
    /// every socket (its session is gone) so clients reconnect and resume.
    private func storageFailed(_ error: StoreError) {
        let first = health.withLock { health -> Bool in
            guard case .ready = health else { return false }
            health = .recovering(error.message)
            return true
        }
        guard first else { return }
        logger.error("storage failed; rebuilding from the store", metadata: ["error": "\(error.message)"])
        Task { await self.recover() }
    }

    private func recover() async {
        var delay = Duration.milliseconds(100)
        while true {
            do {
                let facts = try await store.recover(window: configuration.recentMessagesPerRoom)
                let rebuilt = try ChatEngine(configuration: configuration, restoring: facts)
                engine.withLock { $0 = rebuilt }
                outbox.closeAll(code: 1011)
                health.withLock { $0 = .ready }
                logger.notice("rebuilt from the store; accepting writes again")
                return
            } catch {
                logger.error("recovery failed; retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }
}
