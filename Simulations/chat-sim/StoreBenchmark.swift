import ChatEngine
import ChatStore
import Foundation

/// Measurements of a store on a fresh database each: ``SQLiteChatStore`` on real files, or
/// ``PostgresChatStore`` on a database created for the run on a PostgreSQL server.
struct StoreBenchmark {
    /// Where each run's database is made.
    let target: StoreBenchTarget

    struct Appends {
        var perSecond: Double
        var p50: Duration
        var p99: Duration
    }

    struct Restart {
        var time: Duration
        var facts: Int
        var rssGrowthMiB: Int
        var pageP50: Duration
        var pageP99: Duration
        var latestP50: Duration
    }

    private static let rooms = 1_000
    private static let text = "a chat message of about a hundred bytes, as people write them in a busy group room, ok?"

    /// `writers` tasks append one message each per call until `messages` are stored.
    func appends(writers: Int, messages: Int) async throws -> Appends {
        try await target.withFreshStore { open in
            let store = try await open()
            try await store.append(Self.setup())
            let perWriter = messages / writers
            let clock = ContinuousClock()
            let start = clock.now
            let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        var latencies: [Duration] = []
                        latencies.reserveCapacity(perWriter)
                        for index in 0..<perWriter {
                            let id = Int64(index * writers + writer + 1)
                            let begin = clock.now
                            try await store.append([.fact(.messageAccepted(Self.message(id)))])
                            latencies.append(clock.now - begin)
                        }
                        return latencies
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }.sorted()
            let elapsed = clock.now - start
            return Appends(
                perSecond: Double(latencies.count) / elapsed.seconds,
                p50: latencies[latencies.count / 2], p99: latencies[latencies.count * 99 / 100]
            )
        }
    }

    /// Fills a database with `totalMessages` in big batches, then measures opening it and
    /// rebuilding an engine, and paging through history.
    func restart(totalMessages: Int) async throws -> Restart {
        try await target.withFreshStore { open in
            do {
                let store = try await open()
                try await store.append(Self.setup())
                for batch in stride(from: 1, through: totalMessages, by: 20_000) {
                    let last = min(batch + 19_999, totalMessages)
                    try await store.append((batch...last).map { .fact(.messageAccepted(Self.message(Int64($0)))) })
                }
            }
            let rssBefore = Self.residentBytes()
            let clock = ContinuousClock()
            let start = clock.now
            let store = try await open()
            let facts = try await store.recover(window: 100)
            let engine = try ChatEngine(configuration: ChatConfiguration(recentMessagesPerRoom: 100), restoring: facts)
            let time = clock.now - start
            let rssGrowth = Self.residentBytes() - rssBefore
            precondition(engine.lastSeq(of: RoomID(1)) == Int64(totalMessages / Self.rooms), "seqs continue after the restart")

            var random = SystemRandomNumberGenerator()
            let perRoom = totalMessages / Self.rooms
            var pages: [Duration] = []
            for _ in 0..<2_000 {
                let room = RoomID(Int64.random(in: 1...Int64(Self.rooms), using: &random))
                let before = Int64.random(in: 1...Int64(perRoom), using: &random)
                let begin = clock.now
                _ = try await store.messages(in: room, before: before, limit: 50, includingDeleted: false)
                pages.append(clock.now - begin)
            }
            pages.sort()
            var latest: [Duration] = []
            let readable = (1...40).map { RoomID(Int64($0)) }
            for _ in 0..<500 {
                let before = MessageID(Int64.random(in: 1...Int64(totalMessages), using: &random))
                let begin = clock.now
                _ = try await store.latestMessages(in: readable, before: before, limit: 50)
                latest.append(clock.now - begin)
            }
            latest.sort()
            return Restart(
                time: time, facts: facts.count, rssGrowthMiB: rssGrowth / (1 << 20),
                pageP50: pages[pages.count / 2], pageP99: pages[pages.count * 99 / 100], latestP50: latest[latest.count / 2]
            )
        }
    }

    /// One user and `rooms` public rooms.
    private static func setup() -> [StoreWrite] {
        let user = User(id: UserID(1), username: "bench", registeredAt: .zero)
        return [.fact(.userRegistered(user))] + (1...rooms).map {
            .fact(.roomCreated(Room(id: RoomID(Int64($0)), kind: .public, name: "room \($0)", createdBy: user.id, createdAt: .zero, pair: nil)))
        }
    }

    /// Message `id`, spread round-robin over the rooms with consecutive seqs.
    private static func message(_ id: Int64) -> Message {
        let room = (id - 1) % Int64(rooms) + 1
        let seq = (id - 1) / Int64(rooms) + 1
        return Message(id: MessageID(id), room: RoomID(room), seq: seq, sender: UserID(1), text: text, clientMessageID: nil, sentAt: Instant(milliseconds: id))
    }

    /// The process's resident set size.
    private static func residentBytes() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
