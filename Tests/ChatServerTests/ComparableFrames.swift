import ChatFixtures

/// A replay's frames made comparable with another run's: only the values a run chooses for itself
/// are normalised. Timestamps (`timestamp`, `sent_at`, `edited_at`; the in-process clock is a
/// manual one) become `"<time>"`; an `epoch` (random per store) and a `session` (each server
/// numbers its own sockets) become `"<epoch 1>"`, `"<session 1>"`, … in order of first appearance,
/// so frames that share one still share it. Ids, seqs and everything else stay as received.
struct ComparableFrames {
    /// Keys whose values are instants.
    static let timestampKeys: Set<String> = ["timestamp", "sent_at", "edited_at"]
    /// Keys whose values a run chooses, numbered by first appearance.
    static let numberedKeys: Set<String> = ["epoch", "session"]

    /// For each key of ``numberedKeys``, the number of each value seen so far.
    private var numbers: [String: [FixtureValue: Int]] = [:]

    /// The frames of every `expect_frames` step of a run (as ``RecordingDriver`` keeps them),
    /// normalised; sockets are read in name order, each socket's frames in order.
    static func of(_ recording: [[String: [FixtureValue]]]) -> [[String: [FixtureValue]]] {
        var normaliser = ComparableFrames()
        var normalised: [[String: [FixtureValue]]] = []
        for step in recording {
            var frames: [String: [FixtureValue]] = [:]
            for (socket, received) in step.sorted(by: { $0.key < $1.key }) {
                frames[socket] = received.map { normaliser.normalise($0) }
            }
            normalised.append(frames)
        }
        return normalised
    }

    private mutating func normalise(_ value: FixtureValue) -> FixtureValue {
        switch value {
        case .object(let fields):
            var normalised: [String: FixtureValue] = [:]
            for (key, field) in fields.sorted(by: { $0.key < $1.key }) {
                if Self.timestampKeys.contains(key) {
                    normalised[key] = .string("<time>")
                } else if Self.numberedKeys.contains(key) {
                    normalised[key] = .string("<\(key) \(number(of: field, as: key))>")
                } else {
                    normalised[key] = normalise(field)
                }
            }
            return .object(normalised)
        case .array(let items):
            var normalised: [FixtureValue] = []
            for item in items { normalised.append(normalise(item)) }
            return .array(normalised)
        case .null, .bool, .number, .string:
            return value
        }
    }

    private mutating func number(of value: FixtureValue, as key: String) -> Int {
        if let known = numbers[key]?[value] { return known }
        let next = (numbers[key]?.count ?? 0) + 1
        numbers[key, default: [:]][value] = next
        return next
    }
}
