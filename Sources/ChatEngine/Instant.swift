/// A point in time on the caller's clock, in milliseconds since an epoch the caller chooses.
///
/// The engine never reads a clock: every command carries the instant at which it happens,
/// so tests move time by passing a later value.
public struct Instant: Hashable, Codable, Comparable, Sendable, CustomStringConvertible {
    /// Milliseconds since the caller's epoch (a server uses the Unix epoch).
    public let milliseconds: Int64

    /// Creates an instant from milliseconds since the caller's epoch.
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// The epoch itself.
    public static let zero = Instant(milliseconds: 0)

    /// This instant moved forward (or backward, for a negative value) by `milliseconds`.
    public func advanced(by milliseconds: Int64) -> Instant {
        Instant(milliseconds: self.milliseconds + milliseconds)
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.milliseconds < rhs.milliseconds }
    public var description: String { "\(milliseconds) ms" }
}
