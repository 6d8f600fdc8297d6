import ChatServer
import Testing

@Suite struct PasswordHasherTests {
    /// Tests use bcrypt's lowest cost; production uses 12.
    let hasher = PasswordHasher(cost: 4)

    @Test func hashThenVerifyRoundTrips() async throws {
        let hash = try await hasher.hash("correct horse battery")
        #expect(hash.hasPrefix("$2b$04$"))
        #expect(hash.utf8.count == 60)
        #expect(!hash.contains("correct horse battery"))
        #expect(await hasher.verify("correct horse battery", against: hash))
    }

    @Test func hashesAreSalted() async throws {
        let first = try await hasher.hash("same password")
        let second = try await hasher.hash("same password")
        #expect(first != second)
        #expect(await hasher.verify("same password", against: first))
        #expect(await hasher.verify("same password", against: second))
    }

    @Test func wrongPasswordIsRefused() async throws {
        let hash = try await hasher.hash("correct horse battery")
        #expect(await !hasher.verify("correct horse batterz", against: hash))
        #expect(await !hasher.verify("Correct horse battery", against: hash))
        #expect(await !hasher.verify("", against: hash))
    }

    @Test func unknownUserIsRefused() async {
        #expect(await !hasher.verify("correct horse battery", against: nil))
        #expect(await !hasher.verify("", against: nil))
    }

    @Test func malformedHashIsRefused() async {
        #expect(await !hasher.verify("correct horse battery", against: ""))
        #expect(await !hasher.verify("correct horse battery", against: "not a bcrypt hash"))
    }
}
