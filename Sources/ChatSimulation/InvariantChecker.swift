import ChatEngine

/// Compares what the engine did for one command with what the reference model predicted: the
/// seq it gave, the result, every session's deliveries in order, and the facts to store.
struct InvariantChecker {
    /// The last seq the engine accepted in each room, as its replies said.
    private var lastSeqs: [RoomID: Int64] = [:]

    /// The first invariant a command's outcome breaks, if any.
    /// `seedRooms` tells which sessions are seed sockets (which see only messages, typing and
    /// their own removal).
    /// `counted` passes over the violations that do not count.
    mutating func check(
        _ outcome: Outcome, _ prediction: Prediction, number: Int, naming: Naming, seedRooms: [SessionID: RoomID],
        counted: (Violation?) -> Violation?
    ) -> Violation? {
        return counted(checkSequence(outcome, number: number, naming: naming))
            ?? counted(checkResult(outcome, prediction, number: number, naming: naming))
            ?? checkDeliveries(outcome, prediction, number: number, naming: naming, seedRooms: seedRooms, counted: counted)
            ?? counted(checkFacts(outcome, prediction, number: number, naming: naming))
    }

    /// (c): an accepted message takes the next seq of its room.
    private mutating func checkSequence(_ outcome: Outcome, number: Int, naming: Naming) -> Violation? {
        guard case .success(.sent(let message)) = outcome.result else { return nil }
        let expected = lastSeqs[message.room, default: 0] + 1
        lastSeqs[message.room] = message.seq
        guard message.seq == expected else {
            return Violation(.sequencesAreGapFree, step: number, "\(naming.room(message.room)) accepted seq \(message.seq), expected \(expected)")
        }
        return nil
    }

    /// (d): the result is the model's, rejection case and reply values alike.
    private func checkResult(_ outcome: Outcome, _ prediction: Prediction, number: Int, naming: Naming) -> Violation? {
        guard outcome.result != prediction.result else { return nil }
        // A server answers a retry from its store before the engine hears of it.
        let shadowed = if case .success(.duplicate) = prediction.result { true } else { false }
        return Violation(
            .resultsMatchModel, step: number, "expected \(naming.result(prediction.result)), got \(naming.result(outcome.result))",
            observation: shadowed ? .nowhere : .inFrames
        )
    }

    /// (g): the facts, in order.
    private func checkFacts(_ outcome: Outcome, _ prediction: Prediction, number: Int, naming: Naming) -> Violation? {
        var facts: [Fact] = []
        for case .fact(let fact) in outcome.events { facts.append(fact) }
        guard facts != prediction.facts else { return nil }
        return Violation(
            .factsMatchModel, step: number,
            "expected facts [\(prediction.facts.map(naming.fact).joined(separator: "; "))], got [\(facts.map(naming.fact).joined(separator: "; "))]",
            observation: .afterRestart
        )
    }

    /// (a), (b), (e), (f), (h) and unsubscriptions: what each session received, in order, and
    /// that every delivery names its sessions once each, ascending.
    /// A session a client sees the difference on is named before one no client sees it on.
    private func checkDeliveries(
        _ outcome: Outcome, _ prediction: Prediction, number: Int, naming: Naming, seedRooms: [SessionID: RoomID], counted: (Violation?) -> Violation?
    ) -> Violation? {
        var observed: [Delivery] = []
        for case .delivery(let delivery) in outcome.events {
            guard zip(delivery.recipients, delivery.recipients.dropFirst()).allSatisfy({ $0 < $1 }), !delivery.recipients.isEmpty else {
                return counted(Violation(
                    .everySubscriberReceivesEachMessageOnce, step: number,
                    "\(naming.payload(delivery.payload)) goes to \(delivery.recipients.map(naming.session)), not to sessions once each, ascending"
                ))
            }
            observed.append(delivery)
        }
        let expected = prediction.expired + prediction.deliveries
        guard observed != expected else { return nil }
        let got = Self.perSession(observed)
        let wanted = Self.perSession(expected)
        var unseen: Violation?
        for session in Set(got.keys).union(wanted.keys).sorted() {
            let received = got[session] ?? []
            let due = wanted[session] ?? []
            guard received != due else { continue }
            let common = min(received.count, due.count)
            let position = (0..<common).first { received[$0] != due[$0] } ?? common
            let extra = position < received.count ? received[position] : nil
            let missing = position < due.count ? due[position] : nil
            let detail = "\(naming.session(session)) expected [\(due.map(naming.payload).joined(separator: "; "))], "
                + "received [\(received.map(naming.payload).joined(separator: "; "))]"
            let shown = seedRooms[session] == nil || [extra, missing].contains { $0.map(Self.reachesSeedSockets) ?? false }
            let violation = Violation(Self.classify(extra: extra, missing: missing, due: due), step: number, detail, observation: shown ? .inFrames : .nowhere)
            if shown { return counted(violation) }
            unseen = unseen ?? violation
        }
        return counted(unseen)
    }

    /// Which invariant a session's first wrong delivery breaks.
    private static func classify(extra: Payload?, missing: Payload?, due: [Payload]) -> Invariant {
        if case .message(let message)? = extra, !due.contains(.message(message)) { return .onlyReadersReceiveMessages }
        switch extra ?? missing {
        case .message?, .edited?, .deleted?, .readMarker?: return .everySubscriberReceivesEachMessageOnce
        case .typing?: return .typingStopsByDeadline
        case .presence?, nil: return .presenceMatchesSessions
        case .membership?, .joined?, .left?: return .membershipIsDelivered
        case .unsubscribed?: return .removedSessionsAreUnsubscribed
        }
    }

    /// Whether the seed protocol has a frame for the payload.
    private static func reachesSeedSockets(_ payload: Payload) -> Bool {
        switch payload {
        case .message, .typing, .unsubscribed: true
        case .presence, .membership, .edited, .deleted, .readMarker, .joined, .left: false
        }
    }

    private static func perSession(_ deliveries: [Delivery]) -> [SessionID: [Payload]] {
        var result: [SessionID: [Payload]] = [:]
        for delivery in deliveries {
            for session in delivery.recipients {
                result[session, default: []].append(delivery.payload)
            }
        }
        return result
    }
}
