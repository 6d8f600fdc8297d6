/// A property the explorer checks after every step.
public enum Invariant: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// (a) Only sessions that may read a room, and are subscribed to it, receive its messages.
    case onlyReadersReceiveMessages
    /// (b) Every subscribed session receives every accepted message exactly once, in seq order,
    /// and every edit, deletion and read marker it is due.
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
    /// (g) The facts to store are exactly the model's, in order.
    case factsMatchModel
    /// (h) Membership changes reach the room's sessions, and joining or leaving a room reaches
    /// the user's own sessions.
    case membershipIsDelivered
    /// (i) Every query the server asks (members, visible rooms, pages, read markers, online
    /// users, subscriptions, the next deadline, …) answers as the model does.
    case queriesMatchModel
    /// (j) An engine rebuilt from what the store gives back answers every query as the model does.
    case restoreGivesTheSameEngine

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
        case .factsMatchModel: "(g) the facts to store match the reference model"
        case .membershipIsDelivered: "(h) membership changes are delivered"
        case .queriesMatchModel: "(i) queries answer as the reference model"
        case .restoreGivesTheSameEngine: "(j) an engine restored from the store answers as the reference model"
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
    /// Where a client of the server could see it.
    public let observation: Observation

    /// Creates a violation.
    public init(_ invariant: Invariant, step: Int, _ detail: String, observation: Observation = .inFrames) {
        self.invariant = invariant
        self.step = step
        self.detail = detail
        self.observation = observation
    }

    /// `step N: invariant: detail`.
    public var description: String { "step \(step): \(invariant): \(detail)" }
}
