import ChatEngine
import ChatProtocol
import ChatService
import ChatStore
import ChatTestSupport
import Testing

@Suite struct ReadmeServiceExampleTests {
    @Test func theServiceExampleRunsAndPrintsWhatTheReadmeSays() async throws {
        var lines: [String] = []
        func print(_ item: Any) { lines.append("\(item)") }

        // README example begin
        let clock = ManualClock(at: Instant(milliseconds: 0))
        let outbox = MemoryOutbox()
        let service = try await ChatService(
            store: try SQLiteChatStore(path: ":memory:"), clock: clock, passwords: FastPasswordHasher(), outbox: outbox
        )
        var sockets: [SeedSocket] = []
        for name in ["alice", "bob"] {
            _ = try await service.register(RegisterRequest(username: name, password: "password1"))
            let login = try await service.login(LoginRequest(username: name, password: "password1"), from: "test")
            // A seed socket on the lobby, as an in-memory connection: its frames land in the outbox.
            let session = service.newSession()
            outbox.open(session)
            let request = SeedSocketRequest(target: "/ws/chat/lobby/?token=\(login.token)", authorization: nil, origin: nil, host: nil)!
            sockets.append(await service.openSeedSocket(request, session: session)!)
        }
        let (alice, bob) = (sockets[0], sockets[1])
        _ = bob.receive(text: Array(#"{"type":"typing"}"#.utf8))
        _ = alice.receive(text: Array(#"{"message":"Hi Bob!"}"#.utf8))
        await service.settle()

        // Bob never sends: 6 s later (the default timeout is 5 s) his typing indicator has expired.
        clock.advance(byMilliseconds: 6_000)
        try await service.tick()
        for (name, socket) in [("alice", alice), ("bob", bob)] {
            for case .text(let json) in outbox.take(socket.session) { print("\(name) ← \(String(decoding: json, as: UTF8.self))") }
        }
        // README example end

        #expect(lines == [
            #"alice ← {"type":"typing","room":"lobby","username":"bob","typing":true}"#,
            #"alice ← {"type":"message","id":1,"room_id":1,"room":"lobby","seq":1,"username":"alice","message":"Hi Bob!","timestamp":"1970-01-01T00:00:00.000Z"}"#,
            #"alice ← {"type":"typing","room":"lobby","username":"bob","typing":false}"#,
            #"bob ← {"type":"message","id":1,"room_id":1,"room":"lobby","seq":1,"username":"alice","message":"Hi Bob!","timestamp":"1970-01-01T00:00:00.000Z"}"#,
        ])
        #expect(try ReadmeExample.block(under: "## Embed the whole service in your tests", packageRoot: ReadmeExample.packageRoot(of: #filePath)) == ReadmeExample.markedLines(in: #filePath))
    }
}
