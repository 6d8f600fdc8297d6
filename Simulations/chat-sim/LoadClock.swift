/// The load's one clock: nanoseconds since an origin taken once per run, on `ContinuousClock`.
/// Senders embed its reading in each message (`t=`); receivers subtract it from their own.
struct LoadClock: Sendable {
    /// The instant that reads as zero.
    let origin: ContinuousClock.Instant

    init(origin: ContinuousClock.Instant = .now) { self.origin = origin }

    /// Nanoseconds since the origin.
    @inline(__always)
    func nanoseconds() -> UInt64 {
        let elapsed = (ContinuousClock.now - origin).components
        return UInt64(max(elapsed.seconds, 0)) &* 1_000_000_000 &+ UInt64(max(elapsed.attoseconds, 0) / 1_000_000_000)
    }
}
