import ChatService
import ChatEngine
import Testing

@Suite struct LoginThrottleTests {
    static let window: Int64 = 60_000
    static let t0 = Instant(milliseconds: 1_800_000_000_000)

    @Test func blocksAUsernameAfterMaxFailuresFromAnyAddress() {
        let throttle = LoginThrottle(maxFailures: 3, window: Self.window)
        #expect(!throttle.isBlocked(username: "alice", address: "10.0.0.9", at: Self.t0))
        throttle.recordFailure(username: "Alice", address: "10.0.0.1", at: Self.t0)
        throttle.recordFailure(username: "alice", address: "10.0.0.2", at: Self.t0)
        #expect(!throttle.isBlocked(username: "alice", address: "10.0.0.9", at: Self.t0))
        throttle.recordFailure(username: "ALICE", address: "10.0.0.3", at: Self.t0)
        #expect(throttle.isBlocked(username: "alice", address: "10.0.0.9", at: Self.t0))
        #expect(throttle.isBlocked(username: "aLiCe", address: "10.0.0.9", at: Self.t0))
        #expect(!throttle.isBlocked(username: "bob", address: "10.0.0.9", at: Self.t0))
    }

    @Test func blocksAnAddressAfterMaxFailuresForAnyUsername() {
        let throttle = LoginThrottle(maxFailures: 3, window: Self.window)
        throttle.recordFailure(username: "alice", address: "10.0.0.1", at: Self.t0)
        throttle.recordFailure(username: "bob", address: "10.0.0.1", at: Self.t0)
        #expect(!throttle.isBlocked(username: "carol", address: "10.0.0.1", at: Self.t0))
        throttle.recordFailure(username: "dave", address: "10.0.0.1", at: Self.t0)
        #expect(throttle.isBlocked(username: "carol", address: "10.0.0.1", at: Self.t0))
        #expect(!throttle.isBlocked(username: "carol", address: "10.0.0.2", at: Self.t0))
    }

    @Test func unblocksWhenFailuresLeaveTheWindow() {
        let throttle = LoginThrottle(maxFailures: 3, window: Self.window)
        throttle.recordFailure(username: "alice", address: "a", at: Self.t0)
        throttle.recordFailure(username: "alice", address: "b", at: Self.t0.advanced(by: 10_000))
        throttle.recordFailure(username: "alice", address: "c", at: Self.t0.advanced(by: 20_000))
        #expect(throttle.isBlocked(username: "alice", address: "d", at: Self.t0.advanced(by: 20_000)))
        #expect(throttle.isBlocked(username: "alice", address: "d", at: Self.t0.advanced(by: Self.window - 1)))
        // The first failure leaves the window: two remain.
        #expect(!throttle.isBlocked(username: "alice", address: "d", at: Self.t0.advanced(by: Self.window)))
        // One more failure blocks again (sliding window), until the second one leaves.
        throttle.recordFailure(username: "alice", address: "d", at: Self.t0.advanced(by: Self.window))
        #expect(throttle.isBlocked(username: "alice", address: "e", at: Self.t0.advanced(by: Self.window)))
        #expect(!throttle.isBlocked(username: "alice", address: "e", at: Self.t0.advanced(by: Self.window + 10_000)))
    }

    @Test func successClearsTheUsernameButNotTheAddress() {
        let throttle = LoginThrottle(maxFailures: 3, window: Self.window)
        for _ in 0..<3 { throttle.recordFailure(username: "alice", address: "10.0.0.1", at: Self.t0) }
        #expect(throttle.isBlocked(username: "alice", address: "10.0.0.2", at: Self.t0))
        throttle.recordSuccess(username: "ALICE", address: "10.0.0.1")
        #expect(!throttle.isBlocked(username: "alice", address: "10.0.0.2", at: Self.t0))
        // The address that failed three times stays blocked, for alice too.
        #expect(throttle.isBlocked(username: "bob", address: "10.0.0.1", at: Self.t0))
        #expect(throttle.isBlocked(username: "alice", address: "10.0.0.1", at: Self.t0))
    }

    @Test func staleKeysArePrunedBeforeTheCapEvictsAnything() {
        let throttle = LoginThrottle(maxFailures: 1, window: Self.window, maxKeys: 10)
        for i in 0..<5 { throttle.recordFailure(username: "old\(i)", address: "old\(i)", at: Self.t0) }
        #expect(throttle.trackedKeyCount == 10)
        let later = Self.t0.advanced(by: Self.window)
        throttle.recordFailure(username: "new", address: "new", at: later)
        #expect(throttle.trackedKeyCount == 2)
        #expect(throttle.isBlocked(username: "new", address: "elsewhere", at: later))
    }

    @Test func theCapEvictsTheOldestKeys() {
        let throttle = LoginThrottle(maxFailures: 1, window: Self.window, maxKeys: 10)
        for i in 0..<20 {
            throttle.recordFailure(username: "user\(i)", address: "addr\(i)", at: Self.t0.advanced(by: Int64(i)))
            #expect(throttle.trackedKeyCount <= 10)
        }
        let now = Self.t0.advanced(by: 100)
        #expect(throttle.isBlocked(username: "user19", address: "x", at: now))
        #expect(throttle.isBlocked(username: "x", address: "addr19", at: now))
        #expect(!throttle.isBlocked(username: "user0", address: "x", at: now))
        #expect(!throttle.isBlocked(username: "x", address: "addr0", at: now))
    }

    @Test func clientMessageIsExact() {
        #expect(LoginThrottle.blockedMessage == "Too many failed logins; try again later")
    }
}
