import ChatEngine

/// Runs steps on an engine and on the reference model side by side, and checks every
/// invariant after each step.
struct InvariantChecker<Engine: EngineUnderTest> {
    /// What one step did.
    struct StepReport {
        /// Whether the engine accepted the command.
        let accepted: Bool
        /// (session, message) pairs the engine delivered.
        let messagesDelivered: Int
        /// The first invariant the step broke, if any.
        let violation: Violation?
    }

    /// Every this many steps (and after the last) all rooms' online users are compared, not
    /// only those of the rooms the step touched.
    static var sweepInterval: Int { 1_000 }

    private(set) var engine: Engine
    private(set) var model: ReferenceModel
    /// The last seq the engine accepted in each room, as its replies said.
    private var lastSeqs: [RoomID: Int64] = [:]

    init(engine: Engine, configuration: ChatConfiguration) {
        self.engine = engine
        model = ReferenceModel(configuration: configuration)
    }

    /// Runs step number `number` (1-based) on both and checks it; `isLast` forces a full sweep.
    mutating func run(_ step: ScheduledCommand, number: Int, isLast: Bool) -> StepReport {
        var touched: [RoomID] = []
        switch step.command {
        case .closeSession(let session): touched = model.sessions[session]?.rooms ?? []
        case .subscribe(_, .id(let room)), .unsubscribe(_, let room), .removeMember(_, let room, _): touched = [room]
        default: break
        }
        let prediction = model.apply(step.command, at: step.instant)
        let outcome = engine.handle(step.command, at: step.instant)
        if case .subscribe = step.command, case .success(.room(let room)) = prediction.result {
            touched.append(room.id)
        }

        var delivered = 0
        var observed: [Delivery] = []
        for case .delivery(let delivery) in outcome.events {
            switch delivery.payload {
            case .message: delivered += delivery.recipients.count
            case .membership, .joined, .left: continue
            case .typing, .presence, .unsubscribed, .edited, .deleted, .readMarker: break
            }
            observed.append(delivery)
        }
        let accepted = outcome.rejection == nil
        let violation = checkSequence(outcome, number: number)
            ?? checkResult(step, outcome, prediction, number: number)
            ?? (observed == prediction.deliveries ? nil : compare(observed, prediction.deliveries, number: number))
            ?? checkPresence(in: touched, number: number)
            ?? (isLast || number % Self.sweepInterval == 0 ? sweep(number: number) : nil)
        return StepReport(accepted: accepted, messagesDelivered: delivered, violation: violation)
    }

    /// (c): an accepted message takes the next seq of its room.
    private mutating func checkSequence(_ outcome: Outcome, number: Int) -> Violation? {
        guard case .success(.sent(let message)) = outcome.result else { return nil }
        let expected = lastSeqs[message.room, default: 0] + 1
        lastSeqs[message.room] = message.seq
        guard message.seq == expected else {
            return Violation(.sequencesAreGapFree, step: number, "\(message.room) accepted seq \(message.seq), expected \(expected)")
        }
        return nil
    }

    /// (d): the result is the model's, rejection case and reply values alike.
    private func checkResult(_ step: ScheduledCommand, _ outcome: Outcome, _ prediction: Prediction, number: Int) -> Violation? {
        guard outcome.result != prediction.result else { return nil }
        return Violation(
            .resultsMatchModel, step: number,
            "\(step): expected \(describe(prediction.result)), got \(describe(outcome.result))"
        )
    }

    /// (a), (b), (e), (f) and unsubscriptions: what each session received, in order, against the model.
    private func compare(_ observed: [Delivery], _ expected: [Delivery], number: Int) -> Violation? {
        let got = perSession(observed)
        let wanted = perSession(expected)
        for session in Set(got.keys).union(wanted.keys).sorted() {
            let received = got[session] ?? []
            let due = wanted[session] ?? []
            guard received != due else { continue }
            let common = min(received.count, due.count)
            let position = (0..<common).first { received[$0] != due[$0] } ?? common
            let extra = position < received.count ? received[position] : nil
            let missing = position < due.count ? due[position] : nil
            let detail = "\(session) expected [\(due.map(describe).joined(separator: "; "))], "
                + "received [\(received.map(describe).joined(separator: "; "))]"
            return Violation(classify(extra: extra, missing: missing, due: due), step: number, detail)
        }
        return nil
    }

    /// Which invariant a session's first wrong delivery breaks.
    private func classify(extra: Payload?, missing: Payload?, due: [Payload]) -> Invariant {
        if case .message(let message)? = extra, !due.contains(.message(message)) { return .onlyReadersReceiveMessages }
        switch extra ?? missing {
        case .message?, .edited?, .deleted?, .readMarker?: return .everySubscriberReceivesEachMessageOnce
        case .typing?: return .typingStopsByDeadline
        case .presence?, .membership?, .joined?, .left?, nil: return .presenceMatchesSessions
        case .unsubscribed?: return .removedSessionsAreUnsubscribed
        }
    }

    /// (f): the engine's online users of each room in `rooms` are the model's.
    private func checkPresence(in rooms: [RoomID], number: Int) -> Violation? {
        for room in rooms {
            let expected = model.onlineUsers(in: room)
            let actual = engine.onlineUsers(in: room)
            guard actual == expected else {
                return Violation(.presenceMatchesSessions, step: number, "online users in \(room): expected \(expected), got \(actual)")
            }
        }
        return nil
    }

    /// (f) for every room.
    private func sweep(number: Int) -> Violation? {
        checkPresence(in: model.rooms.map(\.room.id), number: number)
    }

    private func perSession(_ deliveries: [Delivery]) -> [SessionID: [Payload]] {
        var result: [SessionID: [Payload]] = [:]
        for delivery in deliveries {
            for session in delivery.recipients {
                result[session, default: []].append(delivery.payload)
            }
        }
        return result
    }

    private func describe(_ result: Result<Reply, Rejection>) -> String {
        switch result {
        case .success(let reply): "accepted (\(reply))"
        case .failure(let rejection): "rejected (\"\(rejection.message)\")"
        }
    }

    private func describe(_ payload: Payload) -> String {
        switch payload {
        case .message(let message): "message \(message.id.rawValue) (\(message.room), seq \(message.seq), by \(message.sender))"
        case .typing(let room, let user, let isTyping): "typing \(isTyping) (\(room), \(user))"
        case .presence(let room, let user, let isOnline): "presence \(isOnline ? "online" : "offline") (\(room), \(user))"
        case .membership(let room, let change): "membership (\(room), \(change))"
        case .unsubscribed(let room, let reason): "unsubscribed (\(room), \(reason))"
        case .edited(let message): "edited \(message.id.rawValue) (\(message.room), seq \(message.seq))"
        case .deleted(let message): "deleted \(message.id.rawValue) (\(message.room), seq \(message.seq))"
        case .readMarker(let room, let seq): "read marker \(seq) (\(room))"
        case .joined(let room): "joined (\(room.id))"
        case .left(let room): "left (\(room))"
        }
    }
}
