import ChatService
import HummingbirdBcrypt
import NIOPosix

/// Hashes and verifies passwords with bcrypt, off the cooperative pool: the server's
/// ``PasswordHashing``.
///
/// bcrypt is deliberately slow (≈ 300 ms of one core at cost 12), so every hash and verify runs
/// on `NIOThreadPool.singleton`, never on a Swift concurrency thread or a NIO event loop.
/// ``verify(_:against:)`` does the same amount of work for an unknown user as for a known one,
/// so the response time does not tell which usernames exist.
public struct PasswordHasher: PasswordHashing {
    /// bcrypt's cost: log2 of its iteration count (4 … 31).
    public let cost: UInt8

    /// A well-formed bcrypt hash of this hasher's cost that no password is known to match; an
    /// unknown user's login is verified against it so that it costs as much as a real one.
    private let dummyHash: String

    /// Creates a hasher; `cost` must be between 4 and 31 (12 in production, 4 in tests).
    public init(cost: UInt8) {
        precondition((4...31).contains(cost), "bcrypt cost must be between 4 and 31")
        self.cost = cost
        let costDigits = cost < 10 ? "0\(cost)" : "\(cost)"
        // "$2b$" cost "$", a 22-character salt and a 31-character digest in bcrypt's base64.
        self.dummyHash = "$2b$\(costDigits)$" + "Q2hhdEF1dGhEdW1teVNhbH" + "VUaGlzSGFzaE1hdGNoZXNOb1Bhc3N3b3"
    }

    /// The bcrypt hash (with a fresh random salt) of `password`, computed on the NIO thread pool.
    ///
    /// Throws only when the thread pool has been shut down. The service checks the password
    /// rule first (`RegisterRequest.passwordProblem`): bcrypt ignores bytes after the 72nd.
    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive {
            Bcrypt.hash(password, cost: cost)
        }
    }

    /// Whether `password` matches `hash`, computed on the NIO thread pool.
    ///
    /// When `hash` is `nil` (no such user, or no password stored) a bcrypt verify still runs,
    /// against a dummy hash of the same cost, and the answer is `false`: an unknown user and a
    /// wrong password take about the same time. A malformed hash or a stopped thread pool
    /// also gives `false`.
    public func verify(_ password: String, against hash: String?) async -> Bool {
        let target = hash ?? dummyHash
        let matches = (try? await NIOThreadPool.singleton.runIfActive {
            Bcrypt.verify(password, hash: target)
        }) ?? false
        return hash != nil && matches
    }
}
