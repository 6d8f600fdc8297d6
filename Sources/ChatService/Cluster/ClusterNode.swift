import ChatEngine
import ChatStore
import Foundation
import Logging
import Synchronization

/// One chat-server node among several sharing a store: its turn loop, its listener and its lease.
///
/// Every local command, every notice from another node and every barrier takes its turn here,
/// one batch at a time. A batch first brings the engine up to the log's head (delivering what
/// other nodes committed); a batch with a command that may write runs inside
/// ``SharedChatStore/commitInOrder(after:node:_:)``, under the lock that orders every node's
/// commits, so its commands see every fact committed before them and its facts get the next
/// seqs. A batch that cannot write reads the log without the lock. Only then are answers given
/// and frames delivered, in order.
final class ClusterNode: Sendable {
    /// This node's name: random, new at every start.
    let name: String

    private struct State {
        var waiting: [ClusterTurn] = []
        var isRunning = false
        /// The last log position the engine holds.
        var position: Int64
        /// The other nodes' sessions, as this node's engine knows them.
        var remote = RemoteSessions()
        /// This node's open sessions.
        var local: Set<SessionID> = []
        /// Nodes whose lapse was handled (until they renew again).
        var lapsed: Set<String> = []
        var core: WeakCore = WeakCore()
        var tasks: [Task<Void, Never>] = []
    }

    private struct WeakCore {
        weak var core: ChatCore?
    }

    private let store: any SharedChatStore
    /// What to do when a token was revoked through another node.
    private let loggedOut = Mutex<(@Sendable ([UInt8]) -> Void)?>(nil)
    private let lease: Duration
    private let logger: Logger
    private let newSession: @Sendable () -> SessionID
    private let state: Mutex<State>

    init(store: any SharedChatStore, position: Int64, lease: Duration, logger: Logger, newSession: @escaping @Sendable () -> SessionID) {
        self.store = store
        self.lease = lease
        self.logger = logger
        self.newSession = newSession
        name = String(UInt64.random(in: .min ... .max), radix: 36)
        state = Mutex(State(position: position))
    }

    /// Starts the listener and the lease for `core`; they end on ``stop(releasingLease:)``, or
    /// at the next renewal after `core` is gone.
    func start(_ core: ChatCore) {
        state.withLock { $0.core.core = core }
        let listener = Task { [weak self] in _ = await self?.listen() }
        let renewer = Task { [weak self] in _ = await self?.renewLease() }
        state.withLock { $0.tasks = [listener, renewer] }
    }

    /// Stops listening and renewing the lease; with `releasingLease`, tells the others that this
    /// node's sessions are gone and gives up the lease, so they clear its presence now rather
    /// than when the lease lapses.
    func stop(releasingLease: Bool) async {
        let tasks = state.withLock { state in
            defer { state.tasks = [] }
            return state.tasks
        }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        guard releasingLease else { return }
        try? await store.notify(notices([.reset], at: state.withLock { $0.position }))
        try? await store.releaseLease(node: name)
    }

    /// Calls `handler` with the hash of every token revoked through another node.
    func onLogout(_ handler: @escaping @Sendable ([UInt8]) -> Void) {
        loggedOut.withLock { $0 = handler }
    }

    /// Tells the other nodes that the token with `hash` was revoked here.
    func announceLogout(_ hash: [UInt8]) async {
        do {
            try await store.notify(notices([.loggedOut(tokenHash: hash)], at: state.withLock { $0.position }))
        } catch {
            logger.warning("could not tell the other nodes of a logout", metadata: ["error": "\(error.message)"])
        }
    }

    /// Queues a turn; the loop runs it after everything queued before.
    func enqueue(_ turn: ClusterTurn) {
        let starts = state.withLock { state -> Bool in
            state.waiting.append(turn)
            guard !state.isRunning else { return false }
            state.isRunning = true
            return true
        }
        if starts { Task { await self.runUntilIdle() } }
    }

    private func runUntilIdle() async {
        while let batch = takeBatch() {
            var ordinary: [ClusterTurn] = []
            for turn in batch {
                if case .rebuild = turn {
                    await run(ordinary)
                    ordinary = []
                    await rebuild()
                } else {
                    ordinary.append(turn)
                }
            }
            await run(ordinary)
        }
    }

    private func takeBatch() -> [ClusterTurn]? {
        state.withLock { state in
            guard !state.waiting.isEmpty else {
                state.isRunning = false
                return nil
            }
            defer { state.waiting = [] }
            return state.waiting
        }
    }

    // MARK: - A batch

    /// What a batch's turns did, to finish in order after its commit.
    private enum Finisher {
        case command(CommandTurn, RanCommand?)
        case barrier(@Sendable () -> Void)
    }

    /// What running a batch's turns gave.
    private struct Ran {
        /// Whether the batch's turns ran (all of them, or none).
        var didRun = false
        var finishers: [Finisher] = []
        var writes: [StoreWrite] = []
        var events: [RemoteEvent] = []
        var replicationFailure: RestoreError?
    }

    private func run(_ batch: [ClusterTurn]) async {
        guard !batch.isEmpty else { return }
        guard let core = state.withLock({ $0.core.core }) else { return fail(batch, .unavailable("the service stopped")) }
        let position = state.withLock { $0.position }
        let ran = Mutex(Ran())
        do throws(StoreError) {
            let mayWrite = batch.contains { if case .command(let turn) = $0 { turn.mayWrite } else { false } }
            if mayWrite {
                let committed = try await store.commitInOrder(after: position, node: name) { [self] entries in
                    let result = runTurns(batch, after: entries, on: core)
                    ran.withLock { $0 = result }
                    return OrderedWrites(writes: result.writes) { [self] head in notices(result.events, at: head) }
                }
                state.withLock { $0.position = committed.position }
            } else {
                let entries = try await store.log(after: position)
                let result = runTurns(batch, after: entries, on: core)
                ran.withLock { $0 = result }
                let head = entries.last?.position ?? position
                state.withLock { $0.position = head }
                do {
                    try await store.notify(notices(result.events, at: head))
                } catch {
                    // The commands are done: only the others' view of presence and typing lags.
                    logger.warning("could not tell the other nodes", metadata: ["error": "\(error.message)"])
                }
            }
        } catch {
            let result = ran.withLock { $0 }
            if result.didRun {
                finish(result.finishers, with: .failure(error))
            } else {
                fail(batch, error)
            }
            return core.storageFailed(error)
        }
        let result = ran.withLock { $0 }
        if let failure = result.replicationFailure {
            logger.error("the log does not follow this node's engine", metadata: ["error": "\(failure)"])
            fail(batch, .unavailable("the node is rebuilding"))
            return core.storageFailed(.readFailed(detail: "\(failure)"))
        }
        finish(result.finishers, with: .success(()))
    }

    /// Reads `entries` into the engine and runs the batch's turns: first the other nodes'
    /// events, each after the entries its sender had applied; then the rest of the log; then the
    /// local turns in order, on the caught-up engine.
    private func runTurns(_ batch: [ClusterTurn], after entries: [LogEntry], on core: ChatCore) -> Ran {
        var ran = Ran()
        var unread = entries[...]
        do {
            for case .remote(let node, let events, let position) in batch {
                let due = unread.prefix { $0.position <= position }
                try core.replicate(Array(due))
                unread.removeFirst(due.count)
                ran.events += applyRemote(events, from: node, on: core)
            }
            try core.replicate(Array(unread))
        } catch {
            ran.replicationFailure = error
            return ran
        }
        ran.didRun = true
        for turn in batch {
            switch turn {
            case .command(let command):
                let result = command.run()
                ran.finishers.append(.command(command, result))
                if let result {
                    ran.writes += result.writes
                    ran.events += recordLocal(result)
                }
            case .barrier(let body):
                ran.finishers.append(.barrier(body))
            case .lapsed(let nodes):
                for node in nodes { dropSessions(of: node, on: core) }
            case .announce:
                ran.events += announcement(on: core)
            case .hello:
                for node in state.withLock({ $0.remote.nodes }) { dropSessions(of: node, on: core) }
                ran.events.append(.hello)
            case .remote, .catchUp:
                break  // read above
            case .rebuild:
                break  // taken apart in runUntilIdle
            }
        }
        return ran
    }

    private func finish(_ finishers: [Finisher], with outcome: Result<Void, StoreError>) {
        for finisher in finishers {
            switch finisher {
            case .command(_, let ran?): ran.finish(outcome)
            case .command(let turn, nil): turn.declined()
            case .barrier(let body): body()
            }
        }
    }

    private func fail(_ turns: [ClusterTurn], _ error: StoreError) {
        for turn in turns {
            switch turn {
            case .command(let command): command.failed(error)
            case .barrier(let body): body()
            default: break
            }
        }
    }

    /// `events` as notices from this node, whose engine holds the log up to `position`.
    private func notices(_ events: [RemoteEvent], at position: Int64) -> [String] {
        stride(from: 0, to: events.count, by: ClusterNotice.eventsPerNotice).map { start in
            let chunk = Array(events[start..<min(start + ClusterNotice.eventsPerNotice, events.count)])
            let notice = ClusterNotice(node: name, position: position, events: chunk)
            // Encoding plain values cannot fail.
            return String(decoding: (try? JSONEncoder().encode(notice)) ?? Data(), as: UTF8.self)
        }
    }

    // MARK: - Sessions across nodes

    /// What the others hear of a local command that changed this node's sessions.
    private func recordLocal(_ ran: RanCommand) -> [RemoteEvent] {
        guard case .success(let reply) = ran.result else { return [] }
        switch ran.command {
        case .openSession(let session, let user):
            state.withLock { _ = $0.local.insert(session) }
            return [.opened(session: session.rawValue, user: user)]
        case .closeSession(let session):
            state.withLock { _ = $0.local.remove(session) }
            return [.closed(session: session.rawValue)]
        case .subscribe(let session, _):
            guard case .room(let room) = reply else { return [] }
            return [.subscribed(session: session.rawValue, room: room.id)]
        case .unsubscribe(let session, let room):
            return [.unsubscribed(session: session.rawValue, room: room)]
        case .typing(let user, let room, let isTyping):
            return [.typing(user: user, room: room, isTyping: isTyping)]
        default:
            return []
        }
    }

    /// Applies another node's events to the engine; returns what this node answers (its own
    /// sessions, when the other said hello).
    private func applyRemote(_ events: [RemoteEvent], from node: String, on core: ChatCore) -> [RemoteEvent] {
        var answer: [RemoteEvent] = []
        for event in events {
            switch event {
            case .opened(let session, let user):
                guard state.withLock({ $0.remote.session(node, session) }) == nil else { continue }
                let local = newSession()
                if core.runRemote(.openSession(local, user: user)) != nil {
                    state.withLock { $0.remote.add(node, session, as: local) }
                }
            case .closed(let session):
                if let local = state.withLock({ $0.remote.remove(node, session) }) { _ = core.runRemote(.closeSession(local)) }
            case .subscribed(let session, let room):
                if let local = state.withLock({ $0.remote.session(node, session) }) { _ = core.runRemote(.subscribe(local, to: .id(room))) }
            case .unsubscribed(let session, let room):
                if let local = state.withLock({ $0.remote.session(node, session) }) { _ = core.runRemote(.unsubscribe(local, from: room)) }
            case .typing(let user, let room, let isTyping):
                _ = core.runRemote(.typing(by: user, room: room, isTyping: isTyping))
            case .loggedOut(let hash):
                loggedOut.withLock { $0 }?(hash)
            case .hello:
                answer += announcement(on: core)
            case .reset:
                dropSessions(of: node, on: core)
            }
        }
        return answer
    }

    /// Closes every session of `node` this engine holds (its presence goes offline here).
    private func dropSessions(of node: String, on core: ChatCore) {
        for local in state.withLock({ $0.remote.removeAll(of: node) }) { _ = core.runRemote(.closeSession(local)) }
    }

    /// Every local session and its subscriptions, as events.
    private func announcement(on core: ChatCore) -> [RemoteEvent] {
        let local = state.withLock { $0.local }.sorted()
        return core.read { engine in
            var events: [RemoteEvent] = []
            for session in local {
                guard let user = engine.sessionUser(session) else { continue }
                events.append(.opened(session: session.rawValue, user: user))
                for room in engine.rooms(of: session) { events.append(.subscribed(session: session.rawValue, room: room)) }
            }
            return events
        }
    }

    // MARK: - Rebuild, listener, lease

    /// Rebuilds the engine from the store (retrying until it answers), forgets every session,
    /// and tells the others.
    private func rebuild() async {
        guard let core = state.withLock({ $0.core.core }) else { return }
        var delay = Duration.milliseconds(100)
        while !Task.isCancelled {
            do {
                let (facts, position) = try await store.recoverWithPosition(window: core.recoveryWindow)
                try core.rebuild(from: facts)
                state.withLock { state in
                    state.position = position
                    state.remote = RemoteSessions()
                    state.local = []
                }
                try? await store.notify(notices([.reset, .hello], at: position))
                return
            } catch {
                logger.error("rebuilding failed; retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }

    /// Hears the other nodes' notices and queues what they ask for; reconnects when the
    /// connection is lost (then asks every node for its sessions again).
    private func listen() async {
        var delay = Duration.milliseconds(100)
        while !Task.isCancelled {
            do {
                for try await event in store.notices() {
                    switch event {
                    case .listening:
                        delay = .milliseconds(100)
                        enqueue(.hello)
                        enqueue(.catchUp)
                    case .notice(let text):
                        if let turn = turn(for: text) { enqueue(turn) }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("lost the other nodes' notices; listening again", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }

    /// The turn a notice asks for; nil for this node's own notices and for what it cannot read.
    private func turn(for text: String) -> ClusterTurn? {
        if text.hasPrefix("log ") { return text.dropFirst(4) == name ? nil : .catchUp }
        guard let notice = try? JSONDecoder().decode(ClusterNotice.self, from: Data(text.utf8)) else {
            logger.warning("ignored a notice this node cannot read", metadata: ["notice": "\(text.prefix(200))"])
            return nil
        }
        return notice.node == name ? nil : .remote(node: notice.node, events: notice.events, position: notice.position)
    }

    /// Renews this node's lease three times per lease; clears the sessions of nodes whose lease
    /// lapsed; announces this node's sessions again when the others had taken it for dead; and
    /// reads the log each time, in case a notice was lost.
    private func renewLease() async {
        var renewedBefore = false
        while !Task.isCancelled {
            guard state.withLock({ $0.core.core }) != nil else {
                // The service is gone: so are the listener and the lease (it lapses).
                for task in state.withLock({ $0.tasks }) { task.cancel() }
                return
            }
            let position = state.withLock { $0.position }
            do {
                // The row says two thirds of a lease: a node that dies lapses at most that long
                // after its last renewal, and every node looks again within a third of a lease,
                // so the others clear it within one lease of its death (a renewal late by less
                // than a third of a lease is forgiven).
                let (wasHeld, lapsed) = try await store.renewLease(node: name, position: position, lease: lease * 2 / 3)
                if !wasHeld && renewedBefore { enqueue(.announce) }
                renewedBefore = true
                let newlyLapsed = state.withLock { state -> [String] in
                    let lapsedNow = Set(lapsed).subtracting([name])
                    defer { state.lapsed = lapsedNow }
                    return lapsedNow.subtracting(state.lapsed).sorted()
                }
                if !newlyLapsed.isEmpty { enqueue(.lapsed(newlyLapsed)) }
                enqueue(.catchUp)
            } catch {
                logger.warning("could not renew this node's lease", metadata: ["error": "\(error.message)"])
            }
            try? await Task.sleep(for: lease / 3)
        }
    }
}
