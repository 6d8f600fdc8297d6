import Foundation
import Logging
import Synchronization
import Testing

@Suite struct OperationsTests {
    @Test func healthMetricsAndTheOpenAPIDocumentNeedNoToken() async throws {
        try await TestServer.run { api in
            let health = try await api.request(.get, "/healthz")
            #expect(health.status == 200)
            #expect(health.body == #"{"status":"ok"}"#)

            let alice = try await api.user("alice")
            let lobby = try await api.room("lobby", token: alice.token)
            let socket = try await TestSocket.connect(api, "/ws/chat/lobby/?token=\(alice.token)")
            try await socket.send(#"{"message":"counted"}"#)
            _ = await socket.nextJSON()
            try await socket.send("not json")
            _ = await socket.nextJSON()
            _ = try await api.request(.post, "/api/messages", token: alice.token, json: #"{"room_id":\#(lobby),"message":""}"#)

            let exposition = try await api.request(.get, "/metrics")
            #expect(exposition.status == 200)
            let metrics = try PrometheusSamples(exposition.body)
            #expect(metrics["chat_open_sockets"] == 1)
            #expect(metrics["chat_messages_accepted_total"] == 1)
            #expect(metrics["chat_deliveries_total"] == 1)
            #expect(metrics["chat_rejected_frames_total", labels: ["reason": "invalid_frame"]] == 1)
            #expect(metrics["chat_http_requests_total", labels: ["route": "POST /api/messages", "status": "400"]] == 1)
            #expect(metrics["chat_send_to_delivery_seconds_count"] == 1)

            let document = try await api.request(.get, "/api/openapi.json")
            #expect(document.status == 200)
            let root = document.json as? [String: Any]
            #expect(root?["openapi"] as? String == "3.1.0")
            let paths = Set((root?["paths"] as? [String: Any])?.keys.map { $0 } ?? [])
            #expect(paths.isSuperset(of: [
                "/api/register", "/api/login", "/api/logout", "/api/users", "/api/rooms", "/api/rooms/with-members",
                "/api/rooms/{room_id}/members", "/api/rooms/{room_id}/members/{username}", "/api/rooms/{room_id}/messages",
                "/api/messages", "/healthz", "/metrics", "/api/openapi.json",
            ]))
            await socket.close()
        }
    }

    @Test func unknownPathsAnswerInTheContractsShape() async throws {
        try await TestServer.run { api in
            let reply = try await api.request(.get, "/api/nothing-here")
            #expect(reply.status == 404)
            #expect(reply.error == "Not Found")
        }
    }

    @Test func logsNeverContainPasswordsOrTokens() async throws {
        let lines = LogLines()
        var logger = Logger(label: "chat-test") { _ in CapturingLogHandler(lines: lines) }
        logger.logLevel = .trace
        let captured = TokenBox()
        try await TestServer.run({ _ in }, logger: logger) { api in
            let password = "correct-horse-battery"
            _ = try await api.request(.post, "/api/register", json: #"{"username":"alice","password":"\#(password)"}"#)
            let login = try await api.request(.post, "/api/login", json: #"{"username":"alice","password":"\#(password)"}"#)
            let token = login["token"] as? String ?? ""
            captured.value = token
            _ = try await api.request(.post, "/api/login", json: #"{"username":"alice","password":"\#(password)-wrong"}"#)
            _ = try await api.request(.get, "/api/users", token: token)
            let socket = try await TestSocket.connect(api, "/ws/chat/lobby/?token=\(token)")
            try await socket.send(#"{"message":"hi"}"#)
            _ = await socket.nextJSON()
            await socket.close()
            _ = try await api.request(.post, "/api/logout", token: token)
        }
        let all = lines.all
        #expect(all.contains { $0.contains("/api/users") }, "the requests were not logged at all")
        #expect(!captured.value.isEmpty)
        #expect(!all.contains { $0.contains("correct-horse-battery") })
        #expect(!all.contains { $0.contains(captured.value) })
    }
}

/// Log lines gathered by ``CapturingLogHandler``.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func append(_ line: String) { lines.withLock { $0.append(line) } }
}

/// A log handler that keeps every line, metadata included.
struct CapturingLogHandler: LogHandler {
    let lines: LogLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        lines.append("\(event.level) \(event.message) \(all) \(event.error.map { String(reflecting: $0) } ?? "")")
    }
}
