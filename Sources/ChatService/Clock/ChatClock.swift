import ChatEngine

/// Where the service's time comes from. The engine's instants are milliseconds since the Unix
/// epoch; every rule that depends on time (typing expiry, token lifetimes, rate limits, login
/// throttling) reads this clock, so a test or an embedder can run them on time it controls
/// (``ManualClock``) and the server on the system's (``WallClock``).
public protocol ChatClock: Sendable {
    /// The current instant.
    func now() -> Instant

    /// Returns once the clock reads `deadline` or later; throws `CancellationError` if the
    /// calling task is cancelled first.
    func sleep(until deadline: Instant) async throws
}
