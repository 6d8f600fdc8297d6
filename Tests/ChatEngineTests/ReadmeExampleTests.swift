import ChatEngine
import ChatTestSupport
import Testing

@Suite struct ReadmeExampleTests {
    @Test func theEmbeddingExampleRunsAndPrintsWhatTheReadmeSays() throws {
        var lines: [String] = []
        func print(_ item: Any) { lines.append("\(item)") }

        // README example begin
        var engine = ChatEngine(configuration: ChatConfiguration(typingTimeout: 5_000))
        var now = Instant(milliseconds: 0)
        guard case .success(.user(let alice)) = engine.handle(.register(username: "alice"), at: now).result,
              case .success(.user(let bob)) = engine.handle(.register(username: "bob"), at: now).result
        else { fatalError("registration refused") }

        // One session (a connection) each, both in the private room of the pair.
        _ = engine.handle(.openSession(SessionID(1), user: alice.id), at: now)
        _ = engine.handle(.openSession(SessionID(2), user: bob.id), at: now)
        guard case .success(.room(let dm)) = engine.handle(.subscribe(SessionID(1), to: .privateWith(username: "bob")), at: now).result
        else { fatalError("no private room") }
        _ = engine.handle(.subscribe(SessionID(2), to: .id(dm.id)), at: now)

        // Bob types, Alice sends a DM: facts to store and deliveries to write come back as events.
        for event in engine.handle(.typing(by: bob.id, room: dm.id, isTyping: true), at: now).events { print(event) }
        for event in engine.handle(.send(by: alice.id, room: dm.id, text: "Hi Bob!"), at: now).events { print(event) }

        // Bob never sends: 6 s later his typing indicator has expired.
        now = now.advanced(by: 6_000)
        for event in engine.handle(.tick, at: now).events { print(event) }
        // README example end

        let message = Message(id: MessageID(1), room: dm.id, seq: 1, sender: alice.id, text: "Hi Bob!", clientMessageID: nil, sentAt: .zero)
        #expect(lines == [
            "\(Event.delivery(Delivery(to: [SessionID(1)], .typing(dm.id, bob.id, isTyping: true))))",
            "\(Event.fact(.messageAccepted(message)))",
            "\(Event.delivery(Delivery(to: [SessionID(1), SessionID(2)], .message(message))))",
            "\(Event.delivery(Delivery(to: [SessionID(1)], .typing(dm.id, bob.id, isTyping: false))))",
        ])
        #expect(try ReadmeExample.block(under: "## Embedding the engine", packageRoot: ReadmeExample.packageRoot(of: #filePath)) == ReadmeExample.markedLines(in: #filePath))
    }
}
