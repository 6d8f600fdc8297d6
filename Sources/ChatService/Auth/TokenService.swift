import ChatEngine
import ChatStore
import Crypto
import Synchronization

/// Issues, checks and revokes login (bearer) tokens.
///
/// A token is 32 bytes from the system's CSPRNG, written in base64url without padding
/// (43 characters). The store keeps only the SHA-256 of the token's text (its UTF-8 bytes),
/// never the token itself, so a leaked database does not let anyone log in. Tokens live in the
/// store, so they survive a restart; an in-memory cache (token hash → record) spares SQLite a
/// read on every request, and is consulted with the same expiry and revocation rules as the
/// store: a revoked or expired token is never accepted, cached or not.
public final class TokenService: Sendable {
    /// The length of every token this service issues: 32 bytes in unpadded base64url.
    public static let tokenLength = 43

    /// The most token records kept in memory; beyond it, the cache is pruned (expired records
    /// first). A record dropped from the cache is read from the store again when needed.
    public static let cacheCapacity = 100_000

    private let store: any ChatStore
    private let lifetime: Int64
    private let cache = Mutex<[[UInt8]: AuthToken]>([:])

    /// Creates a service over `store`, whose tokens work for `lifetime` milliseconds after
    /// they are issued.
    public init(store: any ChatStore, lifetime: Int64) {
        precondition(lifetime > 0, "a token lifetime must be positive")
        self.store = store
        self.lifetime = lifetime
    }

    /// A new token for `user`, valid from `now` until `now + lifetime` (exclusive).
    ///
    /// Returns once the token's hash is committed to the store.
    public func issue(for user: UserID, at now: Instant) async throws(StoreError) -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        bytes.reserveCapacity(32)
        for _ in 0..<4 {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) }
        }
        let token = Self.base64URLEncoded(bytes)
        let record = AuthToken(
            hash: Self.hash(of: token), user: user, issuedAt: now, expiresAt: now.advanced(by: lifetime))
        try await store.append([.tokenIssued(record)])
        remember(record, at: now)
        return token
    }

    /// The user `token` authenticates at `now`, or `nil` for a malformed, unknown, expired or
    /// revoked token. Throws only when the store cannot be read.
    public func user(for token: String, at now: Instant) async throws(StoreError) -> UserID? {
        guard Self.isWellFormed(token) else { return nil }
        let hash = Self.hash(of: token)
        if let cached = cache.withLock({ $0[hash] }) {
            return cached.isValid(at: now) ? cached.user : nil
        }
        guard let stored = try await store.authToken(hash: hash) else { return nil }
        let record = remember(stored, at: now)
        return record.isValid(at: now) ? record.user : nil
    }

    /// Revokes `token` (logout): it stops working at once, here and after a restart.
    ///
    /// A malformed or unknown token is ignored. The token is refused in memory before the
    /// revocation is committed; this returns once it is.
    public func revoke(_ token: String, at now: Instant) async throws(StoreError) {
        guard Self.isWellFormed(token) else { return }
        let hash = Self.hash(of: token)
        let known: AuthToken?
        if let cached = cache.withLock({ $0[hash] }) {
            known = cached
        } else {
            known = try await store.authToken(hash: hash)
        }
        guard let known else { return }
        if known.revokedAt != nil {
            remember(known, at: now)
            return
        }
        let revoked = AuthToken(
            hash: hash, user: known.user, issuedAt: known.issuedAt, expiresAt: known.expiresAt, revokedAt: now)
        cache.withLock { cache in
            // A revoked record always wins: a lookup that read the store before this
            // revocation must not put the valid record back.
            cache[hash] = revoked
        }
        try await store.append([.tokenRevoked(hash: hash, at: now)])
    }

    /// A token was revoked through another node sharing the store: its cached copy, if any, is
    /// marked revoked (a copy not cached is read from the store, which has the revocation).
    public func revokedElsewhere(hash: [UInt8], at now: Instant) {
        cache.withLock { cache in
            guard let known = cache[hash], known.revokedAt == nil else { return }
            cache[hash] = AuthToken(hash: hash, user: known.user, issuedAt: known.issuedAt, expiresAt: known.expiresAt, revokedAt: now)
        }
    }

    /// Caches `record` unless a revoked record for the same hash is already cached; returns
    /// the record now cached (the revoked one, if it was kept).
    @discardableResult
    private func remember(_ record: AuthToken, at now: Instant) -> AuthToken {
        cache.withLock { cache in
            if let existing = cache[record.hash], existing.revokedAt != nil { return existing }
            if cache[record.hash] == nil, cache.count >= Self.cacheCapacity {
                Self.prune(&cache, at: now)
            }
            cache[record.hash] = record
            return record
        }
    }

    /// Shrinks a full cache to at most three quarters of its capacity: expired records go
    /// first, then valid ones (the store still has them), and revoked ones only as a last resort.
    private static func prune(_ cache: inout [[UInt8]: AuthToken], at now: Instant) {
        cache = cache.filter { now < $0.value.expiresAt }
        let target = cacheCapacity * 3 / 4
        guard cache.count > target else { return }
        for (hash, record) in cache where record.revokedAt == nil {
            cache[hash] = nil
            if cache.count <= target { return }
        }
        for hash in cache.keys {
            cache[hash] = nil
            if cache.count <= target { return }
        }
    }

    /// The SHA-256 of a token's UTF-8 text: what the store keeps.
    public static func hash(of token: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(token.utf8)))
    }

    /// Whether `token` could be one of ours: 43 characters of the base64url alphabet.
    static func isWellFormed(_ token: String) -> Bool {
        let utf8 = token.utf8
        guard utf8.count == tokenLength else { return false }
        return utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                true
            default:
                false
            }
        }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// `bytes` in base64url (RFC 4648 §5) without padding.
    static func base64URLEncoded(_ bytes: [UInt8]) -> String {
        var output = [UInt8]()
        output.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let remaining = bytes.count - index
            let b0 = UInt32(bytes[index])
            let b1 = remaining > 1 ? UInt32(bytes[index + 1]) : 0
            let b2 = remaining > 2 ? UInt32(bytes[index + 2]) : 0
            let group = b0 << 16 | b1 << 8 | b2
            output.append(alphabet[Int(group >> 18 & 63)])
            output.append(alphabet[Int(group >> 12 & 63)])
            if remaining > 1 { output.append(alphabet[Int(group >> 6 & 63)]) }
            if remaining > 2 { output.append(alphabet[Int(group & 63)]) }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}
