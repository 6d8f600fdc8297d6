/// The first violation a run passed over (the runner's checks are not mutating, so this is a
/// reference they share).
final class PassedOver {
    private(set) var first: Violation?

    /// Keeps `violation` when it is the first.
    func record(_ violation: Violation) {
        if first == nil { first = violation }
    }
}
