import ChatEngine
import Foundation

/// The server's clock: the engine's instants are milliseconds since the Unix epoch.
enum WallClock {
    /// Now.
    static func now() -> Instant {
        Instant(milliseconds: Int64((Date().timeIntervalSince1970 * 1_000).rounded(.down)))
    }
}
