/// A property the explorer checks after every step.
public enum Invariant: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// (a) Only sessions that may read a room, and are subscribed to it, receive its messages.
    case onlyReadersReceiveMessages
    /// (b) Every subscribed session receives every accepted message exactly once, in seq order.
    case everySubscriberReceivesEachMessageOnce
    /// (c) Each room's seqs are 1, 2, 3 … without gaps.
    case sequencesAreGapFree
    /// (d) Each command is accepted or rejected exactly as the reference model predicts.
    case resultsMatchModel
    /// (e) Typing starts once and stops by its deadline.
    case typingStopsByDeadline
    /// (f) Presence deliveries and online users match the open subscribed sessions.
    case presenceMatchesSessions
    /// Sessions removed from a room are told so, once.
    case removedSessionsAreUnsubscribed

    /// The letter of the list and a short statement.
    public var description: String {
        switch self {
        case .onlyReadersReceiveMessages: "(a) only readers' subscribed sessions receive a room's messages"
        case .everySubscriberReceivesEachMessageOnce: "(b) every subscribed session receives every accepted message once, in seq order"
        case .sequencesAreGapFree: "(c) seqs per room are gap-free"
        case .resultsMatchModel: "(d) results match the reference model"
        case .typingStopsByDeadline: "(e) typing starts once and stops by its deadline"
        case .presenceMatchesSessions: "(f) presence matches open subscribed sessions"
        case .removedSessionsAreUnsubscribed: "removed members' sessions are unsubscribed"
        }
    }
}

/// An invariant that did not hold, where and how.
public struct Violation: Hashable, Sendable, CustomStringConvertible {
    /// Which invariant.
    public let invariant: Invariant
    /// The 1-based step after which it failed.
    public let step: Int
    /// What was expected and what happened.
    public let detail: String

    /// Creates a violation.
    public init(_ invariant: Invariant, step: Int, _ detail: String) {
        self.invariant = invariant
        self.step = step
        self.detail = detail
    }

    /// `step N: invariant: detail`.
    public var description: String { "step \(step): \(invariant): \(detail)" }
}
