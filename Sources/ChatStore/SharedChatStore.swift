import ChatEngine

/// A store that several chat-server nodes share (PostgreSQL): besides the rows, it keeps one
/// log of every committed batch of facts in commit order, decides that order under one lock,
/// carries short notices between the nodes, and keeps each live node's lease.
///
/// A node runs its commands at the ordering point: ``commitInOrder(after:node:_:)`` takes the
/// lock, hands the node the facts other nodes committed since it last looked, lets it run its
/// commands on the caught-up engine, and commits what they wrote with one log entry.
public protocol SharedChatStore: ChatStore {
    /// ``ChatStore/recover(window:)`` and the log's position in the same snapshot: the engine
    /// rebuilt from the facts holds everything logged up to that position.
    func recoverWithPosition(window: Int) async throws(StoreError) -> (facts: [Fact], position: Int64)

    /// The log's entries after `position`, in order (without taking the ordering lock).
    func log(after position: Int64) async throws(StoreError) -> [LogEntry]

    /// One ordered commit, in one transaction holding the ordering lock: reads the entries after
    /// `position`, calls `body` with them, writes what it returns (the facts also as one log
    /// entry of `node`, announced with ``SharedChatStore/logNotice(from:)``), sends its notices
    /// after that, and commits. Returns the entries read and the log's position afterwards. A
    /// failure rolls everything back: the caller's engine, which ran ahead, must be rebuilt.
    func commitInOrder(
        after position: Int64, node: String, _ body: @Sendable ([LogEntry]) -> OrderedWrites
    ) async throws(StoreError) -> (read: [LogEntry], position: Int64)

    /// Sends notices to every node (this one's listener included), in order.
    func notify(_ notices: [String]) async throws(StoreError)

    /// Every notice any node sends from now on, in the order they were sent, on one connection
    /// of its own: first ``NoticeEvent/listening`` once nothing sent from then on can be missed;
    /// the sequence ends with an error when that connection is lost.
    func notices() -> AsyncThrowingStream<NoticeEvent, any Error>

    /// Extends `node`'s lease to `lease` from the database's clock and records its log
    /// position; returns whether the node held a lease that had not lapsed (false: it is new, or
    /// the others took it for dead) and the nodes whose leases have lapsed (every node sees them,
    /// for ten leases).
    func renewLease(node: String, position: Int64, lease: Duration) async throws(StoreError) -> (wasHeld: Bool, lapsed: [String])

    /// Gives up `node`'s lease at once (a node that stops in order).
    func releaseLease(node: String) async throws(StoreError)
}

extension SharedChatStore {
    /// The notice that `node` appended to the log: the others read the log after their position.
    public static func logNotice(from node: String) -> String { "log \(node)" }
}

/// One node's committed batch of facts, at its place in the shared log.
public struct LogEntry: Hashable, Sendable {
    /// Its place: entries are read in increasing position (positions may skip numbers).
    public let position: Int64
    /// The node that committed it.
    public let node: String
    /// Its facts, in the order the node's engine emitted them.
    public let facts: [Fact]

    /// Creates an entry.
    public init(position: Int64, node: String, facts: [Fact]) {
        self.position = position
        self.node = node
        self.facts = facts
    }
}

/// What a node's commands write in one ordered commit: store writes (the facts among them go to
/// the log too) and notices to send once the log entry is written.
public struct OrderedWrites: Sendable {
    /// The rows, in order.
    public var writes: [StoreWrite]
    /// Notices for the other nodes, given the log's position after this commit's entry; sent in
    /// the same transaction (delivered at commit).
    public var notices: @Sendable (_ position: Int64) -> [String]

    /// Creates a batch of writes.
    public init(writes: [StoreWrite] = [], notices: @escaping @Sendable (_ position: Int64) -> [String] = { _ in [] }) {
        self.writes = writes
        self.notices = notices
    }
}

/// What a node's notice listener hears.
public enum NoticeEvent: Hashable, Sendable {
    /// The listener is in place: every notice sent from now on arrives.
    case listening
    /// A notice some node sent (this node's own included).
    case notice(String)
}
