@testable import ChatServer
@testable import ChatStore
import Foundation
import GRDB
import Logging
import Testing

@Suite struct StorageFailureTests {
    /// A failed write is never acknowledged: the sender gets a 503, the server rebuilds from
    /// what is committed (its sockets closed with 1011 so clients resume), and seqs continue
    /// without the lost message.
    @Test func aFailedWriteIsNotAcknowledgedAndTheServerRecovers() async throws {
        let server = try await ChatServer(configuration: TestServer.configuration(), logger: .init(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let store = try #require(server.services.chat.store as? SQLiteChatStore)
        try await server.makeApplication().test(.live) { client in
            let api = TestAPI(client: client)
            let alice = try await api.user("alice")
            let lobby = try await api.room("lobby", token: alice.token)
            let socket = try await TestSocket.connect(api, "/ws/chat/lobby/?token=\(alice.token)")
            try await api.waitUntilOnline(1, in: lobby, token: alice.token)
            #expect(try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":\#(lobby),"message":"kept"}"#).status == 201)
            #expect(await socket.nextJSON()?["message"] as? String == "kept")

            try await store.database.write { db in
                try db.execute(sql: "CREATE TRIGGER fail BEFORE INSERT ON messages WHEN NEW.text = 'boom' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END")
            }
            let failed = try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":\#(lobby),"message":"boom"}"#)
            #expect(failed.status == 503)
            #expect(failed.error == "The server cannot store anything right now; try again later")
            #expect(await socket.closeCode() == .some(1011))

            var healthy = false
            for _ in 0..<100 where !healthy {
                healthy = try await api.request(.get, "/healthz").status == 200
                if !healthy { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(healthy)
            let next = try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":\#(lobby),"message":"after"}"#)
            #expect(next.status == 201)
            #expect(next["seq"] as? Int == 2)
            let history = try await api.request(.get, "/api/rooms/\(lobby)/messages", token: alice.token).list
            #expect(history.map { $0["message"] as? String } == ["kept", "after"])
        }
    }
}
