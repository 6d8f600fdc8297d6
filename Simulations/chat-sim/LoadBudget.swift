import Synchronization

/// How many messages the whole load may still send (`--messages`), shared by every event loop.
final class LoadBudget: Sendable {
    private let remaining: Atomic<Int>

    /// A budget of `messages`, or unlimited when nil.
    init(messages: Int?) {
        remaining = Atomic(messages ?? Int.max)
    }

    /// Takes one message from the budget; false once it is spent.
    @inline(__always)
    func claim() -> Bool {
        remaining.subtract(1, ordering: .relaxed).newValue >= 0
    }

    /// Whether the budget is spent.
    var isSpent: Bool { remaining.load(ordering: .relaxed) <= 0 }
}
