import ChatEngine
import ChatProtocol
import ChatStore
import Logging
import Synchronization

/// The chat as an application, without sockets or HTTP: the engine's one owner and commit
/// order, accounts and tokens, login throttling and send rates, who may read what, and the seed
/// and v1 socket protocols as values in and frames out (``SeedSocket``, ``V1Socket``). The server is an adapter over
/// it; the fixture replay and other software's tests run the very same code in-process, on a
/// ``ManualClock`` and an in-memory store.
///
/// Frames go to the ``ChatOutbox`` given at creation, in commit order; nothing is acknowledged
/// before it is stored.
public final class ChatService: Sendable {
    /// What it was created with.
    public let configuration: ServiceConfiguration
    /// Where its time comes from.
    public let clock: any ChatClock
    /// The durable facts.
    public var store: any ChatStore { core.store }
    /// The store's epoch, which every room's seqs belong to (a v1 client resumes with it).
    public let epoch: String

    let core: ChatCore
    let tokens: TokenService
    let passwords: any PasswordHashing
    let loginThrottle: LoginThrottle
    let sendLimiter: SendRateLimiter
    /// The login token each open socket was opened with (a logout closes them).
    let socketTokens = SocketTokens()
    private let sessionNumbers: SessionNumbers

    /// Rebuilds the engine from `store` (throwing when the store cannot be read or its facts do
    /// not rebuild an engine) and starts taking commands.
    public init(
        store: any ChatStore, configuration: ServiceConfiguration = ServiceConfiguration(), clock: any ChatClock = WallClock(),
        passwords: any PasswordHashing, outbox: any ChatOutbox, observer: any ServiceObserver = IgnoringObserver(),
        logger: Logger = Logger(label: "chat-service")
    ) async throws {
        self.configuration = configuration
        self.clock = clock
        self.passwords = passwords
        var renderer = DeliveryRenderer()
        #if DEBUG
        renderer.plantedBug = configuration.plantedBug
        #endif
        let sessionNumbers = SessionNumbers()
        self.sessionNumbers = sessionNumbers
        core = try await ChatCore(
            store: store, configuration: configuration.engine, nodeLease: configuration.nodeLease, clock: clock, outbox: outbox,
            observer: observer, logger: logger, renderer: renderer, newSession: sessionNumbers.next
        )
        epoch = try await store.epoch()
        tokens = TokenService(store: store, lifetime: configuration.tokenLifetime)
        loginThrottle = LoginThrottle(maxFailures: configuration.maxLoginFailures, window: configuration.loginFailureWindow)
        sendLimiter = SendRateLimiter(ratePerSecond: configuration.sendRatePerSecond, burst: configuration.sendBurst)
        core.onRemoteLogout { [weak self] hash in self?.loggedOutElsewhere(tokenHash: hash) }
    }

    /// Whether the service takes writes (false while it rebuilds after a storage failure).
    public var isHealthy: Bool { core.isHealthy }

    /// Reads the engine's state (its queries) under the engine's lock.
    public func read<T: Sendable>(_ body: (borrowing ChatEngine) -> T) -> T {
        core.read(body)
    }

    /// A session id no socket of this service has had.
    public func newSession() -> SessionID {
        sessionNumbers.next()
    }

    /// With a store several nodes share, this node's name among them (nil otherwise).
    public var node: String? { core.node }

    /// With a store several nodes share: stops hearing the other nodes and renewing this node's
    /// lease; with `releasingLease`, gives it up so the others clear this node's presence at once
    /// (otherwise they do when it lapses, as for a node that died).
    public func leaveCluster(releasingLease: Bool) async {
        await core.leaveCluster(releasingLease: releasingLease)
    }

    /// Expires what is due at the clock's current instant (typing indicators). The service does
    /// this by itself when the next deadline comes; call it after moving a ``ManualClock`` to
    /// have the frames before going on.
    public func tick() async throws(ServiceError) {
        _ = try await execute(.tick)
    }

    /// Returns once everything submitted before it is stored and its frames are in the outbox:
    /// socket messages are handled without waiting for their commit, so a test waits here before
    /// reading what they produced.
    public func settle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            core.afterSubmitted { continuation.resume() }
        }
    }

    /// With a store several nodes share: returns once this node has applied everything any node
    /// committed before the call, so a read that follows sees it (a message posted through
    /// another node, a room created there). Returns at once with a store of its own.
    public func catchUp() async {
        guard node != nil else { return }
        await settle()
    }

    /// `check`'s refusal as the engine stands; with several nodes, a refusal is read again once
    /// this node has caught up, as it may come from an engine that does not yet hold what another
    /// node committed a moment ago (the room, the membership).
    func confirmedRefusal<Refusal: Sendable>(_ check: (borrowing ChatEngine) -> Refusal?) async -> Refusal? {
        let refusal = read(check)
        guard refusal != nil, node != nil else { return refusal }
        await catchUp()
        return read(check)
    }

    // MARK: - Running commands

    /// Runs a command, mapping a storage failure to a 503.
    func execute(_ command: Command, extraWrites: @escaping @Sendable (Reply) -> [StoreWrite] = { _ in [] }) async throws(ServiceError) -> Result<Reply, Rejection> {
        do {
            return try await core.execute(command, extraWrites: extraWrites)
        } catch {
            throw ServiceError(error)
        }
    }

    /// Runs a command that must succeed, mapping a rejection to its error.
    func require(_ command: Command, extraWrites: @escaping @Sendable (Reply) -> [StoreWrite] = { _ in [] }) async throws(ServiceError) -> Reply {
        switch try await execute(command, extraWrites: extraWrites) {
        case .success(let reply): return reply
        case .failure(let rejection): throw ServiceError(rejection)
        }
    }

    /// A store read, mapping failures to a 503.
    func storeRead<T>(_ body: () async throws(StoreError) -> T) async throws(ServiceError) -> T {
        do {
            return try await body()
        } catch {
            throw ServiceError(error)
        }
    }
}

/// Session ids in the order they are handed out: the service's sockets and the other nodes'
/// sessions share one numbering.
final class SessionNumbers: Sendable {
    private let last = Atomic<Int64>(0)

    /// A session id not handed out before.
    @Sendable func next() -> SessionID {
        SessionID(last.add(1, ordering: .relaxed).newValue)
    }
}
