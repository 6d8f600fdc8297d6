import ChatEngine
import ChatTestSupport
import Testing

@Suite struct DeterminismTests {
    /// Sets up users, rooms and sessions, opening and subscribing sessions in `order`.
    private func world(sessionOrder order: [Int64]) -> Harness {
        var h = Harness()
        let names = (0..<8).map { "u\($0)" }
        let ids = names.map { h.register($0) }
        let team = h.group("team", owner: ids[0], members: Array(names.dropFirst())).id
        let lobby = h.publicRoom("lobby", by: ids[1]).id
        for session in order {
            let user = ids[Int(session) % ids.count]
            h.run(.openSession(SessionID(session), user: user))
            for room in session.isMultiple(of: 2) ? [team, lobby] : [lobby, team] {
                h.run(.subscribe(SessionID(session), to: .id(room)))
            }
        }
        return h
    }

    private func conversation(_ h: inout Harness) -> [Outcome] {
        var outcomes: [Outcome] = []
        for step in 0..<40 {
            let user = UserID(Int64(step % 8) + 1)
            let room = RoomID(Int64(step % 2) + 1)
            h.advance(700)
            outcomes.append(h.run(.typing(by: user, room: room, isTyping: true)))
            outcomes.append(h.run(step % 3 == 0 ? .tick : .send(by: user, room: room, text: "message \(step)")))
            if step == 20 { outcomes.append(h.run(.removeMember(by: UserID(1), room: RoomID(1), username: "u3"))) }
            if step == 30 { outcomes.append(h.run(.closeSession(SessionID(5)))) }
        }
        return outcomes
    }

    @Test func insertionOrderDoesNotChangeTheOutput() {
        var forward = world(sessionOrder: Array(1...24))
        var backward = world(sessionOrder: Array((1...24).reversed()))
        var shuffled = world(sessionOrder: Array(1...24).shuffled())
        let expected = conversation(&forward)
        #expect(conversation(&backward) == expected)
        #expect(conversation(&shuffled) == expected)
        #expect(expected.contains { $0.events.contains { if case .delivery(let d) = $0 { d.recipients.count > 10 } else { false } } })
    }

    @Test func aRandomScriptGivesTheSameOutcomesTwice() {
        func run() -> [Outcome] {
            var engine = ChatEngine()
            var script = RandomScript(seed: 7)
            return (0..<3_000).map { _ in
                let (command, instant) = script.next()
                return engine.handle(command, at: instant)
            }
        }
        let first = run()
        #expect(run() == first)
        #expect(facts(of: first).count > 50)
    }

    /// The transcript of a fixed script hashes to the same value in every process, although
    /// Swift seeds `Dictionary` hashing per process: nothing emitted depends on that order.
    @Test func theTranscriptIsIdenticalAcrossProcesses() {
        var engine = ChatEngine()
        var script = RandomScript(seed: 2_026)
        var hash = FNV1a()
        for _ in 0..<2_000 {
            let (command, instant) = script.next()
            hash.combine("\(engine.handle(command, at: instant))")
        }
        #expect(hash.value == 0x2ef5_4054_416c_ddd3, "transcript hash \(String(hash.value, radix: 16))")
    }
}

/// 64-bit FNV-1a, a hash that is the same in every process.
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    mutating func combine(_ text: String) {
        for byte in text.utf8 {
            value = (value ^ UInt64(byte)) &* 0x100_0000_01b3
        }
    }
}
