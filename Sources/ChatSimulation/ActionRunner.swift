import ChatEngine

/// Runs actions on the engine and on the reference model side by side, as the server would:
/// it resolves each action's names, makes the engine calls the server makes for it (the queries
/// it asks first, then the commands), checks every answer, every fact and every delivery against
/// the model, and rebuilds the engine from the stored facts when the server restarts.
///
/// Without an engine it runs the model alone: what a ``Transcript`` is made of.
struct ActionRunner {
    /// What one step did.
    struct StepReport {
        /// Whether the server accepted it.
        let accepted: Bool
        /// (session, message) pairs delivered.
        let messagesDelivered: Int
        /// The first invariant the step broke, if any.
        let violation: Violation?
        /// The model's account of the step.
        let entry: Transcript.Entry
    }

    /// A step in progress.
    struct Step {
        let number: Int
        let instant: Instant
        var violation: Violation?
        var expired: [Delivery] = []
        var deliveries: [Delivery] = []
        var facts: [Fact] = []
        var closed: [SessionID] = []
        var delivered = 0
    }

    /// Every this many steps (and after the last) a sweep compares the queries of many rooms,
    /// users and sessions, not only those the step touched.
    static var sweepInterval: Int { 1_000 }

    let configuration: ChatConfiguration
    /// The engine under test; nil when the model runs alone.
    private(set) var engine: ChatEngine?
    private(set) var model: ReferenceModel
    private(set) var names = Names()
    /// What the store holds of the engine's facts.
    private var stored = StoredFacts()
    private var checker = InvariantChecker()
    /// How many sweeps ran (each checks the next users in turn).
    var sweeps = 0
    /// The violations that count, by where a client sees them (nil: all). The run goes on past
    /// the others: what a fixture's replay through the server would show.
    var reporting: Set<Observation>?
    /// Whether a retry (a send with a client id already stored) is answered from the store
    /// before the engine hears of it, as the server does: for replaying a run as a fixture
    /// would. Explorations leave it off, so the engine's own duplicate rule is checked.
    var answersRetriesFromStore = false
    /// Whether typing runs out when the clock passes its deadline, as the server's timer makes
    /// it (and a fixture's `advance` does), rather than at the next command: a step that issues
    /// no command (a retry answered from the store) must not hold an expiry back.
    var ticksAtDeadlines = false
    /// The first violation that did not count.
    let passedOver = PassedOver()

    init(configuration: ChatConfiguration, engine: ChatEngine?) {
        self.configuration = configuration
        self.engine = engine
        model = ReferenceModel(configuration: configuration)
    }

    /// Runs step number `number` (1-based); `isLast` forces a sweep.
    mutating func run(_ scheduled: ScheduledAction, number: Int, isLast: Bool) -> StepReport {
        var step = Step(number: number, instant: scheduled.instant)
        if ticksAtDeadlines, scheduled.action != .tick, let deadline = model.nextDeadline, deadline <= scheduled.instant {
            execute(.tick, &step)
        }
        let answer = perform(scheduled.action, &step)
        // A seed socket removed from its room is closed by the server.
        for delivery in step.deliveries {
            guard case .unsubscribed = delivery.payload else { continue }
            for session in delivery.recipients {
                guard let name = names.sessionNames[session], names.sessions[name]?.seedRoom != nil else { continue }
                execute(.closeSession(session), &step)
                names.close(name)
            }
        }
        if step.violation == nil, engine != nil, isLast || number % Self.sweepInterval == 0 {
            step.violation = sweep(number: number, full: false, as: .queriesMatchModel)
        }
        let accepted = switch answer {
        case .skipped, .refused: false
        case .accepted, .sent, .subscribed: true
        }
        return StepReport(
            accepted: accepted, messagesDelivered: step.delivered, violation: step.violation,
            entry: Transcript.Entry(
                step: scheduled, answer: answer, expired: step.expired, deliveries: step.deliveries, facts: step.facts, closed: step.closed
            )
        )
    }

    /// Ticks at each typing deadline still ahead of `instant`, until nobody types: the
    /// expiries a run's last step left pending.
    mutating func runOutTyping(after instant: Instant) -> [StepReport] {
        var reports: [StepReport] = []
        var number = 0
        while let deadline = model.nextDeadline {
            number += 1
            let report = run(ScheduledAction(.tick, at: max(deadline, instant)), number: number, isLast: false)
            reports.append(report)
            if report.violation != nil { break }
        }
        return reports
    }

    // MARK: Actions

    private mutating func perform(_ action: Action, _ step: inout Step) -> Transcript.Answer {
        switch action {
        case .register(let username):
            if let engine { step.violation = compare("user(named: \(username.shown))", engine.user(named: username), model.user(named: username), number: step.number) }
            return Self.answer(execute(.register(username: username), &step))
        case .connect(let name, let user):
            guard let user = actor(user), names.sessions[name] == nil else { return .skipped }
            let session = names.open(name, user: user)
            return Self.answer(execute(.openSession(session, user: user), &step))
        case .connectSeed(let name, let user, let path):
            guard let user = actor(user), names.sessions[name] == nil else { return .skipped }
            let session = names.open(name, user: user)
            execute(.openSession(session, user: user), &step)
            let address: RoomAddress = switch path {
            case .room(let room): .named(room)
            case .group(let room): .group(named: room)
            case .privateWith(let other): .privateWith(username: other)
            }
            switch execute(.subscribe(session, to: address), &step) {
            case .success(.room(let room))?:
                names.setSeedRoom(name, room.id)
                return .accepted
            case .failure(let rejection)?:
                // The server closes a seed socket it may not open.
                execute(.closeSession(session), &step)
                names.close(name)
                return .refused(rejection)
            default:
                return .accepted
            }
        case .disconnect(let name):
            guard let session = names.sessions[name] else { return .skipped }
            execute(.closeSession(session.id), &step)
            names.close(name)
            return .accepted
        case .createRoom(let user, let name):
            guard let user = actor(user) else { return .skipped }
            return Self.answer(execute(.createPublicRoom(by: user, name: name), &step))
        case .createGroup(let user, let name, let members):
            guard let user = actor(user) else { return .skipped }
            return Self.answer(execute(.createGroup(by: user, name: name, members: members), &step))
        case .openPrivateRoom(let user, let other):
            guard let user = actor(user) else { return .skipped }
            return Self.answer(execute(.openPrivateRoom(by: user, with: other), &step))
        case .subscribe(let name, let target, let afterSeq):
            guard let session = names.sessions[name], session.seedRoom == nil else { return .skipped }
            return subscribe(session, to: room(target), after: afterSeq, &step)
        case .unsubscribe(let name, let target):
            guard let session = names.sessions[name], session.seedRoom == nil else { return .skipped }
            return Self.answer(execute(.unsubscribe(session.id, from: room(target)), &step))
        case .addMember(let user, let target, let member):
            guard let user = actor(user) else { return .skipped }
            return Self.answer(execute(.addMember(by: user, room: room(target), username: member), &step))
        case .removeMember(let user, let target, let member):
            guard let user = actor(user) else { return .skipped }
            return Self.answer(execute(.removeMember(by: user, room: room(target), username: member), &step))
        case .changeRole(let user, let target, let member, let role):
            guard let user = actor(user) else { return .skipped }
            return Self.answer(execute(.changeRole(by: user, room: room(target), username: member, role: role), &step))
        case .send(let user, let via, let target, let text, let clientMessageID, let label):
            guard let user = actor(user) else { return .skipped }
            let room = room(target)
            var session: SessionID?
            if let via {
                guard let socket = names.sessions[via], socket.user == user, socket.seedRoom == nil || socket.seedRoom == room else { return .skipped }
                session = socket.id
            }
            if answersRetriesFromStore, let clientMessageID,
               model.sendRejection(by: user, room: room, text: text, clientMessageID: clientMessageID, via: session) == nil,
               let stored = model.storedMessage(from: user, clientMessageID: clientMessageID) {
                names.label(label, stored)
                return .sent(stored, duplicate: true)
            }
            if let engine, clientMessageID != nil {
                // The server asks first, so that a retry is validated like a first send.
                step.violation = compare(
                    "sendRejection(by: \(user), room: \(room))",
                    engine.sendRejection(by: user, room: room, text: text, clientMessageID: clientMessageID, via: session),
                    model.sendRejection(by: user, room: room, text: text, clientMessageID: clientMessageID, via: session), number: step.number
                )
            }
            let result = execute(.send(by: user, room: room, text: text, clientMessageID: clientMessageID, via: session), &step)
            switch result {
            case .success(.sent(let message))?:
                names.label(label, message)
                return .sent(message, duplicate: false)
            case .success(.duplicate(let message))?:
                names.label(label, message)
                return .sent(message, duplicate: true)
            default:
                return Self.answer(result)
            }
        case .typing(let name, let target, let isTyping):
            guard let session = names.sessions[name] else { return .skipped }
            let room = room(target)
            guard session.seedRoom == nil || session.seedRoom == room else { return .skipped }
            return Self.answer(execute(.typing(by: session.user, room: room, isTyping: isTyping), &step))
        case .markRead(let user, let via, let target, let seq):
            guard let user = actor(user) else { return .skipped }
            var session: SessionID?
            if let via {
                guard let socket = names.sessions[via], socket.user == user, socket.seedRoom == nil else { return .skipped }
                session = socket.id
            }
            return Self.answer(execute(.markRead(by: user, room: room(target), seq: seq, via: session), &step))
        case .edit(let user, let label, let text):
            guard let user = actor(user), let message = message(label) else { return .skipped }
            return Self.answer(execute(.edit(by: user, message: message, text: text), &step))
        case .delete(let user, let label):
            guard let user = actor(user), let message = message(label) else { return .skipped }
            return Self.answer(execute(.delete(by: user, message: message), &step))
        case .tick:
            return Self.answer(execute(.tick, &step))
        case .restart:
            // What was due expires before the server goes down.
            execute(.tick, &step)
            restart(&step)
            return .accepted
        }
    }

    /// A v1 subscription as the server makes it: who may read the room first, then (resuming
    /// with a known epoch) the missed messages, then the engine's subscription.
    private mutating func subscribe(_ session: Names.Session, to room: RoomID, after afterSeq: Int64?, _ step: inout Step) -> Transcript.Answer {
        let refusal = model.readRejection(of: room, by: session.user)
        let resume = names.epochKnown ? afterSeq : nil
        if let engine, step.violation == nil {
            step.violation = compare("readRejection(of: \(room), by: \(session.user))", engine.readRejection(of: room, by: session.user), refusal, number: step.number)
                ?? compare(
                    "messages(in: \(room), for: \(session.user), before: nil, limit: 50)", engine.page(in: room, for: session.user, before: nil, limit: 50),
                    model.messages(in: room, for: session.user, before: nil, limit: 50), number: step.number
                )
            if let resume, step.violation == nil {
                step.violation = compare(
                    "messages(in: \(room), for: \(session.user), after: \(resume), limit: 1000)",
                    engine.page(in: room, for: session.user, after: resume, limit: 1_000),
                    model.messages(in: room, for: session.user, after: resume, limit: 1_000), number: step.number
                )
            }
        }
        // The engine refuses what the server refuses before asking it, and is asked anyway.
        let result = execute(.subscribe(session.id, to: .id(room)), &step)
        if let refusal { return .refused(refusal) }
        guard case .success? = result else { return Self.answer(result) }
        let stored = model.storedMessages(in: room)
        let last = model.lastSeq(of: room)
        names.epochKnown = true
        if let resume, resume >= 0, resume <= last, last - resume <= 1_000 {
            return .subscribed(lastSeq: last, readSeq: model.readSeq(of: session.user, in: room), recovered: true, messages: Array(stored[Int(resume)...]))
        }
        return .subscribed(lastSeq: last, readSeq: model.readSeq(of: session.user, in: room), recovered: false, messages: Array(stored.suffix(50)))
    }

    /// The server restarts: every socket closes, and a new engine is rebuilt from what the
    /// store gives back; it must answer every query as the model does.
    private mutating func restart(_ step: inout Step) {
        step.closed = names.closeAll()
        model.restart()
        guard engine != nil, step.violation == nil else { return }
        do {
            engine = try ChatEngine(configuration: configuration, restoring: stored.recover(window: configuration.recentMessagesPerRoom))
        } catch {
            step.violation = reportable(Violation(.restoreGivesTheSameEngine, step: step.number, "the stored facts do not rebuild an engine: \(error)", observation: .afterRestart))
            return
        }
        step.violation = sweep(number: step.number, full: true, as: .restoreGivesTheSameEngine)
    }

    // MARK: Commands

    /// Runs `command` on the model and the engine and checks the engine; returns the model's
    /// result, or nil once the step has failed.
    @discardableResult
    mutating func execute(_ command: Command, _ step: inout Step) -> Result<Reply, Rejection>? {
        guard step.violation == nil else { return nil }
        let closing: [RoomID] = if case .closeSession(let session) = command { model.sessions[session]?.rooms ?? [] } else { [] }
        let prediction = model.apply(command, at: step.instant)
        step.expired += prediction.expired
        step.deliveries += prediction.deliveries
        step.facts += prediction.facts
        guard let outcome = engine?.handle(command, at: step.instant) else {
            for delivery in prediction.deliveries { if case .message = delivery.payload { step.delivered += delivery.recipients.count } }
            return prediction.result
        }
        for event in outcome.events {
            switch event {
            case .fact(let fact): stored.record(fact)
            case .delivery(let delivery): if case .message = delivery.payload { step.delivered += delivery.recipients.count }
            }
        }
        let (reporting, passedOver) = (reporting, passedOver)
        step.violation = checker.check(
            outcome, prediction, number: step.number, naming: naming, seedRooms: names.seedRooms,
            counted: { Self.counted($0, reporting: reporting, passedOver: passedOver) }
        )
            ?? checkQueries(after: command, prediction.result, closing: closing, number: step.number)
        return prediction.result
    }

    // MARK: Names

    /// How reports name things.
    var naming: Naming { Naming(model: model, sessions: names.sessionNames) }

    /// A registered user acting: an unknown one is not a client the server would hear from.
    private func actor(_ name: String) -> UserID? { model.userID(named: name) }

    /// The room `target` names, or the id after the last one (which names no room).
    func room(_ target: RoomTarget) -> RoomID {
        let unknown = RoomID(Int64(model.rooms.count + 1))
        switch target {
        case .named(let name):
            return model.roomID(named: name) ?? unknown
        case .privateRoom(let a, let b):
            guard let first = model.userID(named: a), let second = model.userID(named: b), let pair = UserPair(first, second) else { return unknown }
            return model.privateRoomID(pair) ?? unknown
        }
    }

    /// The labelled message as the store has it now.
    private func message(_ label: String) -> Message? {
        guard let (room, seq) = names.messages[label] else { return nil }
        return model.storedMessages(in: room)[Int(seq) - 1]
    }

    /// `violation`, if it counts.
    func reportable(_ violation: Violation?) -> Violation? {
        Self.counted(violation, reporting: reporting, passedOver: passedOver)
    }

    /// `violation`, if `reporting` counts it; else nil, and `passedOver` notes it.
    static func counted(_ violation: Violation?, reporting: Set<Observation>?, passedOver: PassedOver) -> Violation? {
        guard let violation else { return nil }
        guard reporting?.contains(violation.observation) ?? true else {
            passedOver.record(violation)
            return nil
        }
        return violation
    }

    /// Static, so that `Self.answer(execute(…))` copies nothing of the runner while it runs.
    private static func answer(_ result: Result<Reply, Rejection>?) -> Transcript.Answer {
        switch result {
        case .failure(let rejection)?: .refused(rejection)
        case .success?, nil: .accepted
        }
    }
}
