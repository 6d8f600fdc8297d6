import ChatService
import ChatEngine
import Testing

@Suite struct SendRateLimiterTests {
    static let t0 = Instant(milliseconds: 1_800_000_000_000)
    static let alice = UserID(1)
    static let bob = UserID(2)

    @Test func allowsTheBurstThenRefuses() {
        let limiter = SendRateLimiter(ratePerSecond: 1, burst: 3)
        #expect(limiter.allow(Self.alice, at: Self.t0))
        #expect(limiter.allow(Self.alice, at: Self.t0))
        #expect(limiter.allow(Self.alice, at: Self.t0))
        #expect(!limiter.allow(Self.alice, at: Self.t0))
        #expect(!limiter.allow(Self.alice, at: Self.t0))
        // Buckets are per user.
        #expect(limiter.allow(Self.bob, at: Self.t0))
    }

    @Test func refillsWithTime() {
        let limiter = SendRateLimiter(ratePerSecond: 2, burst: 3)
        for _ in 0..<3 { #expect(limiter.allow(Self.alice, at: Self.t0)) }
        #expect(!limiter.allow(Self.alice, at: Self.t0))
        #expect(!limiter.allow(Self.alice, at: Self.t0.advanced(by: 499)))
        #expect(limiter.allow(Self.alice, at: Self.t0.advanced(by: 500)))
        #expect(!limiter.allow(Self.alice, at: Self.t0.advanced(by: 500)))
        // A long pause refills up to the burst, never beyond.
        let later = Self.t0.advanced(by: 60_000)
        for _ in 0..<3 { #expect(limiter.allow(Self.alice, at: later)) }
        #expect(!limiter.allow(Self.alice, at: later))
    }

    @Test func aRefusedSendCostsNothing() {
        let limiter = SendRateLimiter(ratePerSecond: 1, burst: 1)
        #expect(limiter.allow(Self.alice, at: Self.t0))
        for ms in stride(from: Int64(0), to: 1000, by: 100) {
            #expect(!limiter.allow(Self.alice, at: Self.t0.advanced(by: ms)))
        }
        #expect(limiter.allow(Self.alice, at: Self.t0.advanced(by: 1000)))
    }

    @Test func memoryIsBounded() {
        let limiter = SendRateLimiter(ratePerSecond: 1, burst: 3, maxUsers: 10)
        for _ in 0..<3 { #expect(limiter.allow(Self.alice, at: Self.t0)) }
        for id in 2...30 {
            #expect(limiter.allow(UserID(Int64(id)), at: Self.t0))
            #expect(limiter.trackedUserCount <= 10)
        }
        // Over the cap with no full bucket, the fullest go first: alice's empty bucket stays.
        #expect(!limiter.allow(Self.alice, at: Self.t0))
        // Ten seconds later every bucket has refilled, so all of them go at the next prune.
        let later = Self.t0.advanced(by: 10_000)
        for id in 100...102 { #expect(limiter.allow(UserID(Int64(id)), at: later)) }
        #expect(limiter.trackedUserCount == 3)
        #expect(limiter.allow(Self.alice, at: later))
    }

    @Test func clientMessageIsExact() {
        #expect(SendRateLimiter.limitedMessage == "Too many messages; slow down")
    }
}
