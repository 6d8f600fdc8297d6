import ChatEngine
import ChatSimulation

/// One benchmark scenario: rooms of subscribed sessions (one per user) and random senders.
struct EngineBenchmark {
    let name: String
    let rooms: Int
    let sessionsPerRoom: Int
    let kind: RoomKind
    let messages: Int
    let seed: UInt64

    struct Figures {
        var commandsPerSecond: Double
        var deliveriesPerSecond: Double
        var heapBytesPerRetainedMessage: Double
    }

    func run() -> Figures {
        let (commands, deliveries) = measureThroughput()
        return Figures(
            commandsPerSecond: commands,
            deliveriesPerSecond: deliveries,
            heapBytesPerRetainedMessage: measureRetainedHeap()
        )
    }

    /// Sends `messages` messages from random members and visits every recipient of every
    /// delivery, as a server's dispatch loop would.
    private func measureThroughput() -> (commands: Double, deliveries: Double) {
        var engine = populatedEngine(window: 100)
        var random = SplitMix64(seed: seed)
        let texts = (0..<messages).map { "benchmark message number \($0) with some text" }
        let senders = (0..<messages).map { _ in
            let room = Int.random(in: 0..<rooms, using: &random)
            return (RoomID(Int64(room) + 1), UserID(Int64(room * sessionsPerRoom + Int.random(in: 0..<sessionsPerRoom, using: &random)) + 1))
        }
        let clock = ContinuousClock()
        var delivered = 0
        var checksum: Int64 = 0
        let start = clock.now
        for index in 0..<messages {
            let (room, sender) = senders[index]
            let outcome = engine.handle(.send(by: sender, room: room, text: texts[index]), at: Instant(milliseconds: Int64(index)))
            for case .delivery(let delivery) in outcome.events {
                for session in delivery.recipients {
                    checksum &+= session.rawValue
                }
                delivered += delivery.recipients.count
            }
        }
        let seconds = (clock.now - start).seconds
        precondition(delivered == messages * sessionsPerRoom && checksum != 0, "every message reaches every session of its room")
        return (Double(messages) / seconds, Double(delivered) / seconds)
    }

    /// Heap growth per message while every room's window fills up, text included.
    private func measureRetainedHeap() -> Double {
        let window = 100
        var engine = populatedEngine(window: window)
        let retained = min(messages, rooms * window)
        let before = HeapUsage.allocatedBytes()
        for index in 0..<retained {
            let room = index % rooms
            let sender = UserID(Int64(room * sessionsPerRoom + index % sessionsPerRoom) + 1)
            _ = engine.handle(.send(by: sender, room: RoomID(Int64(room) + 1), text: "benchmark message number \(index) with some text"), at: .zero)
        }
        let after = HeapUsage.allocatedBytes()
        withExtendedLifetime(engine) {}
        return Double(after - before) / Double(retained)
    }

    /// An engine with `rooms` rooms of `sessionsPerRoom` users, each with one subscribed session.
    private func populatedEngine(window: Int) -> ChatEngine {
        var engine = ChatEngine(configuration: ChatConfiguration(recentMessagesPerRoom: window))
        for room in 0..<rooms {
            let names = (0..<sessionsPerRoom).map { "r\(room)u\($0)" }
            for name in names {
                _ = engine.handle(.register(username: name), at: .zero)
            }
            let owner = UserID(Int64(room * sessionsPerRoom) + 1)
            let created = kind == .group
                ? engine.handle(.createGroup(by: owner, name: "room \(room)", members: names), at: .zero)
                : engine.handle(.createPublicRoom(by: owner, name: "room \(room)"), at: .zero)
            precondition(created.rejection == nil, "room \(room): \(created.result)")
            for member in 0..<sessionsPerRoom {
                let id = Int64(room * sessionsPerRoom + member) + 1
                _ = engine.handle(.openSession(SessionID(id), user: UserID(id)), at: .zero)
                let subscribed = engine.handle(.subscribe(SessionID(id), to: .id(RoomID(Int64(room) + 1))), at: .zero)
                precondition(subscribed.rejection == nil, "session \(id): \(subscribed.result)")
            }
        }
        return engine
    }
}
