import ChatEngine

/// The steps of a live exploration (`chat-sim explore --server`): the workload's, with the
/// faults a live server must survive woven in, all chosen from the seed and the reference
/// model, so the same seed gives the same steps whatever the server does.
///
/// - A **drop**: a v1 socket's connection is lost without a close handshake. Some steps later
///   its client comes back on a new socket and resubscribes to each of its rooms with
///   `after_seq` set to the last seq it had seen there, so the server's answer must carry
///   exactly the messages it missed.
/// - A **kill**: at the workload's restart steps the server is killed (SIGKILL) and started
///   again on the same database; every v1 client that was subscribed comes back the same way.
///   Just before the kill a message is posted with a client id and not waited for (an
///   ``InFlightSend``): stored or not when the server died, its client never got an answer,
///   so it retries once the server is back — and the message must then be stored exactly once.
///   Without kills (a server this run did not start) restart steps are left out.
///
/// ```swift
/// let schedule = LiveSchedule(seed: 7, users: 20, steps: 2_000, faults: .init(dropsPerThousand: 10, kills: true))
/// let fixture = CounterexampleFixture(schedule.steps, description: "live", options: .live(schedule))
/// ```
public struct LiveSchedule: Sendable {
    /// Which faults to inject, and how often.
    public struct Faults: Sendable {
        /// Sockets dropped per 1 000 steps (each resumed later).
        public var dropsPerThousand: Int
        /// Whether the workload's restart steps kill and restart the server.
        public var kills: Bool

        /// Drops at the given rate; kills when the run controls the server.
        public init(dropsPerThousand: Int, kills: Bool) {
            precondition((0...1_000).contains(dropsPerThousand), "dropsPerThousand must be in 0...1000")
            self.dropsPerThousand = dropsPerThousand
            self.kills = kills
        }
    }

    /// A message posted over REST just before a kill, whose answer never comes; the step after
    /// the kill is its retry (the same text and client id), which the model sees as its send.
    public struct InFlightSend: Hashable, Sendable {
        public let user: String
        public let room: RoomTarget
        public let text: String
        public let clientMessageID: String
    }

    /// The steps, faults and comebacks included.
    public private(set) var steps: [ScheduledAction] = []
    /// The send in flight at each kill, by the position (in ``steps``) of its restart step.
    public private(set) var inFlight: [Int: InFlightSend] = [:]
    /// The positions (0-based, in ``steps``) of the disconnects that are drops.
    public private(set) var drops: Set<Int> = []
    /// Kills of the server.
    public private(set) var kills = 0
    /// Clients that came back after a drop or a kill, and the subscriptions they resumed.
    public private(set) var comebacks = 0
    /// Subscriptions resumed with `after_seq` by clients that came back.
    public private(set) var resumedSubscriptions = 0
    /// Messages the answers to those subscriptions carry: what the clients missed while away.
    public private(set) var recoveredMessages = 0

    /// A client gone with its socket, due back at step `due`.
    private struct Absent {
        let due: Int
        /// The socket it had.
        let socket: String
        /// The name its sockets share (`w5` for `w5`, `w5.1`, `w5.2` …).
        let name: String
        let user: String
        /// Its rooms, each with the last seq it saw there.
        let rooms: [(room: RoomID, seq: Int64)]
    }

    /// `steps` steps of `users` users from `seed`, with `faults`, on a server whose engine has
    /// `configuration`.
    public init(seed: UInt64, users: Int, steps count: Int, configuration: ChatConfiguration = Explorer.defaultConfiguration, faults: Faults) {
        var workload = Workload(seed: seed, users: users, typingTimeout: configuration.typingTimeout)
        var runner = ActionRunner(configuration: configuration, engine: nil)
        runner.answersRetriesFromStore = true
        runner.ticksAtDeadlines = true
        // Faults draw from a stream of their own, so the workload's choices stay its own.
        var random = SplitMix64(seed: seed ^ 0x6C69_7665_6661_756C)
        var lastSeen = LastSeen()
        var absent: [Absent] = []
        var comebackNumbers: [String: Int] = [:]
        var instant = Instant.zero

        func run(_ step: ScheduledAction) -> Transcript.Answer {
            let room = Self.subscribedRoom(step.action, runner)
            let report = runner.run(step, number: steps.count + 1, isLast: false)
            lastSeen.record(report.entry, subscribedRoom: room, runner.names)
            instant = step.instant
            steps.append(step)
            return report.entry.answer
        }

        while steps.count < count {
            if let index = absent.firstIndex(where: { $0.due <= steps.count }) {
                let client = absent.remove(at: index)
                let number = comebackNumbers[client.name, default: 0] + 1
                comebackNumbers[client.name] = number
                let name = "\(client.name).\(number)"
                comebacks += 1
                _ = run(ScheduledAction(.connect(session: name, user: client.user), at: instant))
                for (room, seq) in client.rooms {
                    guard let target = Self.target(of: room, runner.model) else { continue }
                    resumedSubscriptions += 1
                    if case .subscribed(_, _, true, let messages) = run(ScheduledAction(.subscribe(session: name, room: target, afterSeq: seq), at: instant)) {
                        recoveredMessages += messages.count
                    }
                }
                continue
            }
            if faults.dropsPerThousand > 0, random.below(1_000) < faults.dropsPerThousand,
               case let clients = Self.subscribedClients(runner, lastSeen, due: steps.count + 1 + random.below(100)), !clients.isEmpty {
                let client = clients[random.below(clients.count)]
                drops.insert(steps.count)
                absent.append(client)
                _ = run(ScheduledAction(.disconnect(session: client.socket), at: instant))
                continue
            }
            let step = workload.next(runner)
            if case .restart = step.action {
                guard faults.kills else { continue }
                kills += 1
                for client in Self.subscribedClients(runner, lastSeen, due: steps.count + 2) {
                    absent.append(Absent(due: steps.count + 2 + random.below(20), socket: client.socket, name: client.name, user: client.user, rooms: client.rooms))
                }
                let send = Self.inFlightSend(number: kills, runner, &random)
                if let send { inFlight[steps.count] = send }
                _ = run(step)
                workload.observe(step.action, runner)
                if let send {
                    let label = "in-flight \(kills)"
                    _ = run(ScheduledAction(.send(user: send.user, via: nil, room: send.room, text: send.text, clientMessageID: send.clientMessageID, label: label), at: instant))
                }
                continue
            }
            _ = run(step)
            workload.observe(step.action, runner)
        }
    }

    /// The v1 clients subscribed to at least one room, in the runner's order, each with its
    /// rooms and what it saw there; due back at `due`.
    private static func subscribedClients(_ runner: ActionRunner, _ lastSeen: LastSeen, due: Int) -> [Absent] {
        runner.names.openNames.compactMap { name in
            guard let session = runner.names.sessions[name], session.seedRoom == nil,
                  let rooms = runner.model.sessions[session.id]?.rooms, !rooms.isEmpty else { return nil }
            return Absent(
                due: due, socket: name, name: name.split(separator: ".").first.map(String.init) ?? name,
                user: runner.model.users[runner.model.index(session.user)].username,
                rooms: rooms.map { ($0, lastSeen.seq(name, $0)) }
            )
        }
    }

    /// A message some user may post to a room no socket is subscribed to (so that whether it
    /// was stored before the kill shows in no socket's frames, only in the store), if any.
    private static func inFlightSend(number: Int, _ runner: ActionRunner, _ random: inout SplitMix64) -> InFlightSend? {
        let model = runner.model
        let text = "sent as the server died (\(number))"
        let clientMessageID = "in-flight-\(number)"
        guard !model.rooms.isEmpty, !model.users.isEmpty else { return nil }
        let (firstRoom, firstUser) = (random.below(model.rooms.count), random.below(model.users.count))
        for roomOffset in model.rooms.indices {
            let record = model.rooms[(firstRoom + roomOffset) % model.rooms.count]
            guard record.subscribers.isEmpty, let target = target(of: record.room.id, model) else { continue }
            for userOffset in model.users.indices {
                let user = model.users[(firstUser + userOffset) % model.users.count]
                guard model.sendRejection(by: user.id, room: record.room.id, text: text, clientMessageID: clientMessageID, via: nil) == nil else { continue }
                return InFlightSend(user: user.username, room: target, text: text, clientMessageID: clientMessageID)
            }
        }
        return nil
    }

    /// How a step names `room` (nil for a room no name reaches).
    private static func target(of room: RoomID, _ model: ReferenceModel) -> RoomTarget? {
        let record = model.record(room).room
        guard let pair = record.pair else { return .named(record.name) }
        return .privateRoom(model.users[model.index(pair.first)].username, model.users[model.index(pair.second)].username)
    }

    /// The room a v1 subscribe step names, resolved before it runs.
    private static func subscribedRoom(_ action: Action, _ runner: ActionRunner) -> RoomID? {
        guard case .subscribe(_, let target, _) = action else { return nil }
        return runner.room(target)
    }
}

/// The last seq each socket saw in each room: from its subscription's answer (the room's last
/// seq then), then from every message delivered to it or acknowledged to it.
private struct LastSeen {
    private var seqs: [String: [RoomID: Int64]] = [:]

    func seq(_ socket: String, _ room: RoomID) -> Int64 { seqs[socket]?[room] ?? 0 }

    mutating func record(_ entry: Transcript.Entry, subscribedRoom: RoomID?, _ names: Names) {
        switch (entry.step.action, entry.answer) {
        case (.subscribe(let socket, _, _), .subscribed(let lastSeq, _, _, _)):
            if let subscribedRoom { seqs[socket, default: [:]][subscribedRoom] = lastSeq }
        case (.send(_, let via?, _, _, _, _), .sent(let message, _)):
            seqs[via, default: [:]][message.room] = max(seq(via, message.room), message.seq)
        default:
            break
        }
        for delivery in entry.deliveries {
            guard case .message(let message) = delivery.payload else { continue }
            for session in delivery.recipients {
                guard let socket = names.sessionNames[session] else { continue }
                seqs[socket, default: [:]][message.room] = max(seq(socket, message.room), message.seq)
            }
        }
    }
}
