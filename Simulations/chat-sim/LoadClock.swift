import NIOCore

/// The load's one clock: nanoseconds since an origin taken once per run, on the system's
/// monotonic clock (NIO's `NIODeadline`: one `clock_gettime`, no `Duration` arithmetic, which
/// showed in the load's own profile). Senders embed its reading in each message (`t=`);
/// receivers subtract it from their own.
struct LoadClock: Sendable {
    /// The monotonic reading that reads as zero.
    let origin: UInt64

    init() { origin = NIODeadline.now().uptimeNanoseconds }

    /// Nanoseconds since the origin.
    @inline(__always)
    func nanoseconds() -> UInt64 {
        NIODeadline.now().uptimeNanoseconds &- origin
    }
}
