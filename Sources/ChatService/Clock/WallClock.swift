import ChatEngine
import Foundation

/// The system's clock.
public struct WallClock: ChatClock {
    public init() {}

    public func now() -> Instant {
        Instant(milliseconds: Int64((Date().timeIntervalSince1970 * 1_000).rounded(.down)))
    }

    public func sleep(until deadline: Instant) async throws {
        let delay = deadline.milliseconds - now().milliseconds
        if delay > 0 { try await Task.sleep(for: .milliseconds(delay)) }
    }
}
