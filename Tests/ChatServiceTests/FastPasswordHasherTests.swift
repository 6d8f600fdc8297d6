import ChatService
import Testing

@Suite struct FastPasswordHasherTests {
    @Test func aHashVerifiesItsPasswordOnly() async throws {
        let hasher = FastPasswordHasher()
        let hash = try await hasher.hash("correct horse")
        #expect(await hasher.verify("correct horse", against: hash))
        #expect(await !hasher.verify("correct horsf", against: hash))
        #expect(await !hasher.verify("correct horse", against: nil), "no user: no match")
        #expect(await !hasher.verify("correct horse", against: "not a hash"))
        // Salted: the same password hashes differently each time.
        #expect(try await hasher.hash("correct horse") != hash)
    }
}
