import ChatEngine

/// Counts of what an exploration did.
public struct ExplorationStatistics: Hashable, Sendable {
    /// Steps run (up to and including a failing one).
    public private(set) var steps = 0
    /// Accepted commands.
    public private(set) var accepted = 0
    /// Rejected commands.
    public private(set) var rejected = 0
    /// (session, message) pairs delivered.
    public private(set) var messagesDelivered = 0
    private var acceptedByKind = Array(repeating: 0, count: CommandKind.allCases.count)
    private var rejectedByKind = Array(repeating: 0, count: CommandKind.allCases.count)

    mutating func record(_ command: Command, accepted wasAccepted: Bool, messagesDelivered delivered: Int) {
        steps += 1
        messagesDelivered += delivered
        let kind = CommandKind(command).rawValue
        if wasAccepted {
            accepted += 1
            acceptedByKind[kind] += 1
        } else {
            rejected += 1
            rejectedByKind[kind] += 1
        }
    }

    /// The summary table: one line per command kind, then the totals.
    var summaryLines: [String] {
        var lines = ["command".padding(18) + "accepted".leftPadding(10) + "rejected".leftPadding(10)]
        for kind in CommandKind.allCases {
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
