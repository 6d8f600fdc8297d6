/// Where a client of the server could see a violation: what a fixture must do to show it.
public enum Observation: Hashable, Sendable, CustomStringConvertible {
    /// In a frame or an answer a client gets.
    case inFrames
    /// In what the API lists: the rooms a user sees with their members and read state, who is online.
    case inListings
    /// In the messages a subscription carries, or a resume replays.
    case inPages
    /// In typing that does not end when it should.
    case inTiming
    /// Only once the server restarts and rebuilds its engine from what it stored.
    case afterRestart
    /// Nowhere: the server never asks the engine what went wrong, or answers it itself.
    case nowhere

    public var description: String {
        switch self {
        case .inFrames: "in frames and answers"
        case .inListings: "in the rooms listed and who is online"
        case .inPages: "in the messages a subscription or a resume carries"
        case .inTiming: "in when typing ends"
        case .afterRestart: "after a restart"
        case .nowhere: "by no client"
        }
    }
}
