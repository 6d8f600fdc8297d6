import ChatEngine

/// What a fixture adds after a counterexample's steps so that a client sees its failure (the
/// rooms each user sees, who is online, and typing running out are always checked at the end):
/// a restart, for a failure in what was stored; a reader of each room subscribing, then
/// resuming after its last seqs, for a failure in pages.
enum Epilogue {
    static func steps(after steps: [ScheduledAction], showing observation: Observation, configuration: ChatConfiguration) -> [ScheduledAction] {
        let end = steps.last?.instant ?? .zero
        switch observation {
        case .afterRestart:
            return [ScheduledAction(.restart, at: end)]
        case .inPages:
            var runner = ActionRunner(configuration: configuration, engine: nil)
            for (index, step) in steps.enumerated() { _ = runner.run(step, number: index + 1, isLast: false) }
            let model = runner.model
            var epilogue: [ScheduledAction] = []
            for record in model.rooms where record.lastSeq > 0 && !record.room.isArchived {
                guard let reader = record.room.kind == .public ? model.users.first?.id : record.members.first?.user else { continue }
                let user = model.users[model.index(reader)].username
                let socket = "check\(record.room.id.rawValue)"
                let room: RoomTarget = if let pair = record.room.pair {
                    .privateRoom(model.users[model.index(pair.first)].username, model.users[model.index(pair.second)].username)
                } else {
                    .named(record.room.name)
                }
                epilogue += [
                    .connect(session: socket, user: user), .subscribe(session: socket, room: room, afterSeq: nil),
                    .unsubscribe(session: socket, room: room), .subscribe(session: socket, room: room, afterSeq: max(0, record.lastSeq - 2)),
                    .disconnect(session: socket),
                ].map { ScheduledAction($0, at: end) }
            }
            return epilogue
        case .inFrames, .inListings, .inTiming, .nowhere:
            return []
        }
    }
}

extension Counterexample {
    /// The steps a fixture of this counterexample replays: the shrunk steps, then those that
    /// show its failure to a client (``Violation/observation``).
    public func fixtureSteps(configuration: ChatConfiguration = Explorer.defaultConfiguration) -> [ScheduledAction] {
        steps + Epilogue.steps(after: steps, showing: violation.observation, configuration: configuration)
    }
}
