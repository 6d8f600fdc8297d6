import ChatEngine

/// Durable storage for the chat: it keeps every fact the engine emits, the credentials the
/// server adds, and gives them back at start so a restarted server is the same server.
///
/// Writes are acknowledged only after they are committed. After a failed write the store
/// refuses further writes (``StoreError/unavailable(_:)``) until ``recover(window:)`` has
/// handed back what is committed, so a caller never runs ahead of the disk.
public protocol ChatStore: Sendable {
    /// Queues `writes` to be committed atomically, batched with other callers' writes, and
    /// returns at once; `completion` runs once they are durable (or failed). Completions run
    /// in the order of the `enqueue` calls, so a caller that enqueues under its own lock gets
    /// its effects back in that order, with or without writes.
    func enqueue(_ writes: [StoreWrite], completion: @escaping @Sendable (Result<Void, StoreError>) -> Void)

    /// The facts that rebuild the engine: users, rooms, members, and each room's latest
    /// `window` messages, in an order ``ChatEngine/init(configuration:restoring:)`` accepts.
    /// Also re-opens the store for writes after a failure.
    func recover(window: Int) async throws(StoreError) -> [Fact]

    /// Up to `limit` messages of a room with a seq below `seq` (the latest ones; the room's
    /// newest when `seq` is `nil`), oldest first; deleted ones only when `includingDeleted`.
    func messages(in room: RoomID, before seq: Int64?, limit: Int, includingDeleted: Bool) async throws(StoreError) -> [Message]

    /// Up to `limit` messages of a room with a seq above `seq`, oldest first; deleted ones only
    /// when `includingDeleted`.
    func messages(in room: RoomID, after seq: Int64, limit: Int, includingDeleted: Bool) async throws(StoreError) -> [Message]

    /// The latest `limit` messages of any of `rooms` with an id below `id` (or the newest),
    /// oldest first; never deleted ones.
    func latestMessages(in rooms: [RoomID], before id: MessageID?, limit: Int) async throws(StoreError) -> [Message]

    /// The message with `id`, as it now is (edited or deleted), if there is one.
    func message(_ id: MessageID) async throws(StoreError) -> Message?

    /// For each (room, seq) of `markers`, how many messages of the room after that seq were
    /// sent by someone other than `user` and not deleted: the user's unread counts, in order.
    func unreadCounts(of user: UserID, after markers: [(room: RoomID, seq: Int64)]) async throws(StoreError) -> [Int]

    /// The store's epoch: fixed when the store was created, so a client that saw seqs of
    /// another store's history (a database replaced, restored from an older backup and given a
    /// new epoch) can tell.
    func epoch() async throws(StoreError) -> String

    /// The message `sender` stored under `clientMessageID`, if any.
    func message(from sender: UserID, clientMessageID: String) async throws(StoreError) -> Message?

    /// The password hash stored for a user.
    func passwordHash(of user: UserID) async throws(StoreError) -> String?

    /// The token whose hash is `tokenHash`, revoked or not.
    func authToken(hash tokenHash: [UInt8]) async throws(StoreError) -> AuthToken?
}

extension ChatStore {
    /// Commits `writes` atomically, batched with other callers' concurrent writes; returns
    /// once they are durable.
    public func append(_ writes: [StoreWrite]) async throws(StoreError) {
        let result = await withCheckedContinuation { continuation in
            enqueue(writes) { continuation.resume(returning: $0) }
        }
        try result.get()
    }
}

/// One thing to store, committed together with the others of the same ``ChatStore/append(_:)``.
public enum StoreWrite: Hashable, Sendable {
    /// A fact the engine emitted.
    case fact(Fact)
    /// A user's password hash (written with, or after, the user's registration).
    case passwordHash(UserID, String)
    /// A login token was issued; only its hash is kept.
    case tokenIssued(AuthToken)
    /// A token was revoked (logout).
    case tokenRevoked(hash: [UInt8], at: Instant)
}

/// A login token as stored: its hash, never the token itself.
public struct AuthToken: Hashable, Sendable {
    /// A hash of the token (the server chooses the function, e.g. SHA-256).
    public let hash: [UInt8]
    /// Whose token it is.
    public let user: UserID
    /// When it was issued.
    public let issuedAt: Instant
    /// When it stops working.
    public let expiresAt: Instant
    /// When it was revoked, if it was.
    public let revokedAt: Instant?

    /// Creates a token record.
    public init(hash: [UInt8], user: UserID, issuedAt: Instant, expiresAt: Instant, revokedAt: Instant? = nil) {
        self.hash = hash
        self.user = user
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    /// Whether the token authenticates at `now`.
    public func isValid(at now: Instant) -> Bool { revokedAt == nil && now < expiresAt }
}
