/// Counts of what an exploration did.
public struct ExplorationStatistics: Hashable, Sendable {
    /// Steps run (up to and including a failing one).
    public private(set) var steps = 0
    /// Steps the server accepted.
    public private(set) var accepted = 0
    /// Steps the server refused.
    public private(set) var rejected = 0
    /// (session, message) pairs delivered.
    public private(set) var messagesDelivered = 0
    /// Server restarts (the engine rebuilt from the store).
    public private(set) var restarts = 0
    private var acceptedByKind = Array(repeating: 0, count: ActionKind.allCases.count)
    private var rejectedByKind = Array(repeating: 0, count: ActionKind.allCases.count)

    mutating func record(_ action: Action, accepted wasAccepted: Bool, messagesDelivered delivered: Int) {
        steps += 1
        messagesDelivered += delivered
        let kind = ActionKind(action)
        if kind == .restart { restarts += 1 }
        if wasAccepted {
            accepted += 1
            acceptedByKind[kind.rawValue] += 1
        } else {
            rejected += 1
            rejectedByKind[kind.rawValue] += 1
        }
    }

    /// The summary table: one line per action kind, then the totals.
    var summaryLines: [String] {
        var lines = ["action".padding(18) + "accepted".leftPadding(10) + "rejected".leftPadding(10)]
        for kind in ActionKind.allCases {
            lines.append("\(kind)".padding(18) + "\(acceptedByKind[kind.rawValue])".leftPadding(10) + "\(rejectedByKind[kind.rawValue])".leftPadding(10))
        }
        lines.append("total".padding(18) + "\(accepted)".leftPadding(10) + "\(rejected)".leftPadding(10))
        lines.append("messages delivered: \(messagesDelivered) (session, message) pairs")
        return lines
    }
}

extension String {
    /// The string followed by spaces up to `width` characters.
    fileprivate func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
    /// The string preceded by spaces up to `width` characters.
    fileprivate func leftPadding(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
