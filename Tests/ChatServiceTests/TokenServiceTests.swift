import ChatService
import ChatEngine
import ChatStore
import Crypto
import Foundation
import Testing

@Suite struct TokenServiceTests {
    static let alice = UserID(1)
    static let lifetime: Int64 = 30 * 24 * 3_600_000
    static let start = Instant(milliseconds: 1_800_000_000_000)

    /// A store holding one user, alice (tokens reference users).
    static func storeWithAlice(path: String = ":memory:") async throws -> SQLiteChatStore {
        let store = try SQLiteChatStore(path: path)
        try await store.append([.fact(.userRegistered(User(id: alice, username: "alice", registeredAt: .zero)))])
        return store
    }

    /// Runs `body` with a fresh temporary directory, removed afterwards.
    static func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
        let url = FileManager.default.temporaryDirectory.appending(path: "chat-auth-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        return try await body(url)
    }

    /// The 32 bytes a base64url token encodes, or nil.
    static func decoded(_ token: String) -> [UInt8]? {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map(Array.init)
    }

    @Test func issuedTokenAuthenticatesItsUser() async throws {
        let service = TokenService(store: try await Self.storeWithAlice(), lifetime: Self.lifetime)
        let token = try await service.issue(for: Self.alice, at: Self.start)
        #expect(token.utf8.count == 43)
        #expect(token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        #expect(Self.decoded(token)?.count == 32)
        #expect(try await service.user(for: token, at: Self.start) == Self.alice)
        #expect(try await service.user(for: token, at: Self.start.advanced(by: 1000)) == Self.alice)
    }

    @Test func tokensAreRandom() async throws {
        let service = TokenService(store: try await Self.storeWithAlice(), lifetime: Self.lifetime)
        var tokens = Set<String>()
        for _ in 0..<20 { tokens.insert(try await service.issue(for: Self.alice, at: Self.start)) }
        #expect(tokens.count == 20)
        for token in tokens { #expect(try await service.user(for: token, at: Self.start) == Self.alice) }
    }

    @Test func storeKeepsOnlyTheSHA256() async throws {
        let store = try await Self.storeWithAlice()
        let service = TokenService(store: store, lifetime: Self.lifetime)
        let token = try await service.issue(for: Self.alice, at: Self.start)
        let digest = Array(SHA256.hash(data: Data(token.utf8)))
        #expect(TokenService.hash(of: token) == digest)
        let stored = try #require(try await store.authToken(hash: digest))
        #expect(stored.hash == digest)
        #expect(stored.user == Self.alice)
        #expect(stored.issuedAt == Self.start)
        #expect(stored.expiresAt == Self.start.advanced(by: Self.lifetime))
        #expect(stored.revokedAt == nil)
        #expect(try await store.authToken(hash: Array(token.utf8)) == nil)
        #expect(try await store.authToken(hash: try #require(Self.decoded(token))) == nil)
    }

    @Test func rawTokenNeverReachesTheDisk() async throws {
        try await Self.withTemporaryDirectory { directory in
            let path = directory.appending(path: "chat.sqlite").path
            let token: String
            do {
                let service = TokenService(store: try await Self.storeWithAlice(path: path), lifetime: Self.lifetime)
                token = try await service.issue(for: Self.alice, at: Self.start)
            }
            let raw = try #require(Self.decoded(token))
            let digest = TokenService.hash(of: token)
            var sawDigest = false
            for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
                let bytes = try Data(contentsOf: directory.appending(path: file))
                #expect(bytes.range(of: Data(token.utf8)) == nil, "token text in \(file)")
                #expect(bytes.range(of: Data(raw)) == nil, "token bytes in \(file)")
                if bytes.range(of: Data(digest)) != nil { sawDigest = true }
            }
            #expect(sawDigest, "the digest itself must be on disk, or this test proves nothing")
        }
    }

    @Test func expiresExactlyAtExpiresAt() async throws {
        let store = try await Self.storeWithAlice()
        let service = TokenService(store: store, lifetime: 60_000)
        let token = try await service.issue(for: Self.alice, at: Self.start)
        let expiresAt = Self.start.advanced(by: 60_000)
        #expect(try await service.user(for: token, at: expiresAt.advanced(by: -1)) == Self.alice)
        #expect(try await service.user(for: token, at: expiresAt) == nil)
        #expect(try await service.user(for: token, at: expiresAt.advanced(by: 1)) == nil)
        // The same through the store, without a cached record.
        let fresh = TokenService(store: store, lifetime: 60_000)
        #expect(try await fresh.user(for: token, at: expiresAt) == nil)
        #expect(try await fresh.user(for: token, at: expiresAt.advanced(by: -1)) == Self.alice)
    }

    @Test func revokeWorksAtOnceAndIsStored() async throws {
        let store = try await Self.storeWithAlice()
        let service = TokenService(store: store, lifetime: Self.lifetime)
        let token = try await service.issue(for: Self.alice, at: Self.start)
        let other = try await service.issue(for: Self.alice, at: Self.start)
        #expect(try await service.user(for: token, at: Self.start) == Self.alice)
        try await service.revoke(token, at: Self.start.advanced(by: 5))
        #expect(try await service.user(for: token, at: Self.start.advanced(by: 5)) == nil)
        #expect(try await service.user(for: other, at: Self.start.advanced(by: 5)) == Self.alice)
        let stored = try #require(try await store.authToken(hash: TokenService.hash(of: token)))
        #expect(stored.revokedAt == Self.start.advanced(by: 5))
        #expect(try await TokenService(store: store, lifetime: Self.lifetime).user(for: token, at: Self.start.advanced(by: 6)) == nil)
        // Revoking twice, or revoking nonsense, is harmless.
        try await service.revoke(token, at: Self.start.advanced(by: 7))
        try await service.revoke("nonsense", at: Self.start.advanced(by: 7))
        #expect(try await store.authToken(hash: TokenService.hash(of: token))?.revokedAt == Self.start.advanced(by: 5))
    }

    @Test func revokeOfATokenNotYetCachedWorks() async throws {
        let store = try await Self.storeWithAlice()
        let token = try await TokenService(store: store, lifetime: Self.lifetime).issue(for: Self.alice, at: Self.start)
        let service = TokenService(store: store, lifetime: Self.lifetime)
        try await service.revoke(token, at: Self.start.advanced(by: 1))
        #expect(try await service.user(for: token, at: Self.start.advanced(by: 1)) == nil)
    }

    @Test func repeatedLookupsAreServedFromMemory() async throws {
        let store = try await Self.storeWithAlice()
        let issuer = TokenService(store: store, lifetime: Self.lifetime)
        let reader = TokenService(store: store, lifetime: Self.lifetime)
        let token = try await issuer.issue(for: Self.alice, at: Self.start)
        #expect(try await reader.user(for: token, at: Self.start) == Self.alice) // from the store
        // Revoke behind the reader's back: only a lookup that skips the store still sees it valid.
        try await issuer.revoke(token, at: Self.start.advanced(by: 1))
        #expect(try await reader.user(for: token, at: Self.start.advanced(by: 2)) == Self.alice)
        #expect(try await issuer.user(for: token, at: Self.start.advanced(by: 2)) == nil)
    }

    @Test func tokensSurviveARestart() async throws {
        try await Self.withTemporaryDirectory { directory in
            let path = directory.appending(path: "chat.sqlite").path
            let token: String
            let revoked: String
            do {
                let service = TokenService(store: try await Self.storeWithAlice(path: path), lifetime: Self.lifetime)
                token = try await service.issue(for: Self.alice, at: Self.start)
                revoked = try await service.issue(for: Self.alice, at: Self.start)
                try await service.revoke(revoked, at: Self.start.advanced(by: 1))
            }
            let restarted = TokenService(store: try SQLiteChatStore(path: path), lifetime: Self.lifetime)
            #expect(try await restarted.user(for: token, at: Self.start.advanced(by: 10)) == Self.alice)
            #expect(try await restarted.user(for: revoked, at: Self.start.advanced(by: 10)) == nil)
            #expect(try await restarted.user(for: token, at: Self.start.advanced(by: Self.lifetime)) == nil)
        }
    }

    @Test func malformedAndUnknownTokensAreRefused() async throws {
        let service = TokenService(store: try await Self.storeWithAlice(), lifetime: Self.lifetime)
        let token = try await service.issue(for: Self.alice, at: Self.start)
        let tail = String(token.dropFirst())
        let flippedCase = token.uppercased() == token ? token.lowercased() : token.uppercased()
        let malformed: [String] = [
            "",
            " ",
            String(token.dropLast()),            // 42 characters
            token + "A",                         // 44 characters
            token + "=",                         // padded
            "+" + tail,                          // base64, not base64url
            "/" + tail,
            "." + tail,
            " " + tail,
            "é" + String(token.dropFirst(2)),    // 43 UTF-8 bytes, not ASCII
            String(repeating: "!", count: 43),
            "Bearer " + token,
            flippedCase,
        ]
        for candidate in malformed {
            #expect(try await service.user(for: candidate, at: Self.start) == nil, "accepted \(candidate)")
        }
        // Well formed but never issued.
        let unknown = String(repeating: "A", count: 43)
        #expect(try await service.user(for: unknown, at: Self.start) == nil)
        #expect(try await service.user(for: token, at: Self.start) == Self.alice)
    }
}
