/// Hashes and verifies passwords. The server uses bcrypt; tests and embedders that do not need
/// a slow hash use ``FastPasswordHasher``.
public protocol PasswordHashing: Sendable {
    /// A hash of `password` to store.
    func hash(_ password: String) async throws -> String

    /// Whether `password` matches `hash`. With no hash (an unknown user) the answer is `false`,
    /// after as much work as a real check, so the time taken does not tell which users exist.
    func verify(_ password: String, against hash: String?) async -> Bool
}
