import ChatEngine
import ChatProtocol
import ChatService
import ChatStore
import Foundation
import Logging

/// A service in memory with v1 sockets whose frames are read back as JSON objects.
struct V1Harness: Sendable {
    let service: ChatService
    let outbox = MemoryOutbox()
    let clock: ManualClock

    init(recentMessagesPerRoom: Int = 100) async throws {
        try await self.init(store: try SQLiteChatStore(path: ":memory:"), clock: ManualClock(at: Instant(milliseconds: 1_000))) {
            $0.engine.recentMessagesPerRoom = recentMessagesPerRoom
        }
    }

    /// A service on `store` (one node of several when the store is shared) and `clock`, with no
    /// practical send limit, then whatever `adjusting` changes.
    init(
        store: any ChatStore, clock: ManualClock, logger: Logger = Logger(label: "chat-service"),
        adjusting: (inout ServiceConfiguration) -> Void = { _ in }
    ) async throws {
        var configuration = ServiceConfiguration()
        configuration.sendRatePerSecond = 1_000_000
        configuration.sendBurst = 1_000_000
        adjusting(&configuration)
        self.clock = clock
        service = try await ChatService(
            store: store, configuration: configuration, clock: clock, passwords: FastPasswordHasher(), outbox: outbox, logger: logger
        )
    }

    /// Registers and logs in; returns the user's id and token.
    func user(_ name: String) async throws -> (id: UserID, token: String) {
        let user = try await service.register(RegisterRequest(username: name, password: "password1"))
        let login = try await service.login(LoginRequest(username: name, password: "password1"), from: "test")
        return (UserID(user.id), login.token)
    }

    /// Opens a v1 socket with `token`.
    func connect(_ token: String) async -> V1Socket? {
        let session = service.newSession()
        outbox.open(session)
        return await service.openV1Socket(V1SocketRequest(target: "/ws/v1?token=\(token)", authorization: nil, origin: nil, host: nil)!, session: session)
    }

    /// Hands `socket` a frame and waits for what it caused.
    func send(_ socket: V1Socket, _ frame: String) async {
        if let step = socket.receive(text: Array(frame.utf8)) { await step() }
        await service.settle()
    }

    /// The frames `session` received since the last call, as JSON objects; a close is `["closed": code]`.
    func frames(_ session: SessionID) -> [[String: Any]] {
        outbox.take(session).flatMap { frame -> [[String: Any]] in
            switch frame {
            case .text(let bytes): [Self.object(bytes)]
            case .close(let bytes, let code): (bytes.map { [Self.object($0)] } ?? []) + [["closed": Int(code)]]
            }
        }
    }

    private static func object(_ bytes: [UInt8]) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
    }
}
