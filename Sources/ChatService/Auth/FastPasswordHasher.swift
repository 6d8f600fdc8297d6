import Crypto

/// A salted SHA-256 of the password: quick, for tests and in-process replays where a login
/// should cost microseconds. **Not for passwords anyone relies on**: SHA-256 is fast to guess;
/// the server hashes with bcrypt.
public struct FastPasswordHasher: PasswordHashing {
    public init() {}

    public func hash(_ password: String) async throws -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = String(generator.next() as UInt64, radix: 16)
        return "sha256$\(salt)$\(Self.digest(salt, password))"
    }

    public func verify(_ password: String, against hash: String?) async -> Bool {
        let parts = (hash ?? "sha256$unknown$").split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "sha256" else { return false }
        return hash != nil && Self.digest(String(parts[1]), password) == parts[2]
    }

    private static func digest(_ salt: String, _ password: String) -> String {
        SHA256.hash(data: Array("\(salt)$\(password)".utf8)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
