import ChatTestSupport
import Foundation
import Synchronization
import Testing

/// Tests of the real `chat-server` executable, run as a child process.
@Suite(.serialized) struct EndToEndTests {
    /// What the server acknowledged: a message by its client id.
    final class Acks: Sendable {
        struct Ack: Equatable {
            let id: Int
            let room: Int
            let seq: Int
            let text: String
        }

        private let acks = Mutex<[String: Ack]>([:])
        var count: Int { acks.withLock { $0.count } }
        var all: [String: Ack] { acks.withLock { $0 } }

        func record(_ frame: [String: Any]) {
            guard let client = frame["client_msg_id"] as? String, let id = frame["id"] as? Int, let room = frame["room_id"] as? Int,
                  let seq = frame["seq"] as? Int, let text = frame["message"] as? String else { return }
            acks.withLock { $0[client] = Ack(id: id, room: room, seq: seq, text: text) }
        }
    }

    private func temporaryDatabase() throws -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory.appending(path: "chat-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (directory, directory.appending(path: "chat.sqlite").path)
    }

    /// The stores the server runs on here: a SQLite file, and a PostgreSQL database when
    /// `CHAT_TEST_POSTGRES_URL` names a server.
    enum Store: String, CaseIterable, Sendable {
        case sqlite, postgres

        static var underTest: [Store] { PostgresTestServer.url == nil ? [.sqlite] : [.sqlite, .postgres] }
    }

    /// Runs `body` with what `--db` is given for a new database of `store`, removed afterwards.
    private func withDatabase(_ store: Store, _ body: (String) async throws -> Void) async throws {
        switch store {
        case .sqlite:
            let (directory, path) = try temporaryDatabase()
            defer { try? FileManager.default.removeItem(at: directory) }
            try await body(path)
        case .postgres:
            let server = try #require(PostgresTestServer.url)
            try await PostgresTestServer.withFreshDatabase(on: server, body)
        }
    }

    @Test(arguments: Store.underTest)
    func everyAcknowledgedMessageSurvivesKill9(_ store: Store) async throws {
        try await withDatabase(store) { path in try await killAndRestart(path) }
    }

    /// U+0000 never reaches a store: PostgreSQL refuses the byte (it failed the whole batch and
    /// sent the service into a rebuild), SQLite kept the text cut at it. The store keeps taking
    /// writes, and what it took reads back as sent, after a restart too.
    @Test(arguments: Store.underTest)
    func aTextWithNulIsRefusedAndTheStoreKeepsWorking(_ store: Store) async throws {
        try await withDatabase(store) { path in
            let server = try await ServerProcess.start(arguments: ["--db", path])
            let token = try await server.user("ann")
            #expect(try await server.request("POST", "/api/rooms", token: token, json: #"{"name":"lobby"}"#).status == 201)
            let refusedText = try await server.request("POST", "/api/messages", token: token, json: #"{"room_id":1,"message":"a\u0000b"}"#)
            #expect(refusedText.status == 400)
            #expect(refusedText.error == "Message must not contain U+0000 (NUL)")
            let refusedID = try await server.request("POST", "/api/messages", token: token, json: #"{"room_id":1,"message":"x","client_msg_id":"c\u0000d"}"#)
            #expect(refusedID.status == 400)
            #expect(refusedID.error == "client_msg_id must be 1 to 100 characters, without U+0000")
            let sent = try await server.request("POST", "/api/messages", token: token, json: #"{"room_id":1,"message":"a\u0001b ü"}"#)
            #expect(sent.status == 201)
            #expect(sent["seq"] as? Int == 1)
            #expect(server.stop(signal: SIGTERM) == 0)

            let restarted = try await ServerProcess.start(arguments: ["--db", path])
            let history = try await restarted.request("GET", "/api/rooms/1/messages", token: token).list
            #expect(history.map { $0["message"] as? String } == ["a\u{1}b ü"])
            _ = restarted.stop(signal: SIGTERM)
        }
    }

    private func killAndRestart(_ path: String) async throws {
        let server = try await ServerProcess.start(arguments: ["--db", path])
        let names = ["ann", "ben", "cat", "dan"]
        var signedIn: [String] = []
        for name in names { signedIn.append(try await server.user(name)) }
        let tokens = signedIn
        #expect(try await server.request("POST", "/api/rooms", token: tokens[0], json: #"{"name":"lobby"}"#).status == 201)
        #expect(try await server.request("POST", "/api/rooms/with-members", token: tokens[0], json: #"{"name":"team","members":["ben","cat","dan"]}"#).status == 201)

        let acks = Acks()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, token) in tokens.enumerated() {
                // REST senders, alternating rooms, until the server dies.
                group.addTask {
                    for n in 0..<400 {
                        guard let reply = try? await server.request("POST", "/api/messages", token: token, json: #"{"room_id":\#(n % 2 + 1),"message":"\#(names[index]) rest \#(n)","client_msg_id":"\#(names[index])-r\#(n)"}"#),
                              reply.status == 201, let frame = reply.json as? [String: Any]
                        else { return }
                        acks.record(frame)
                    }
                }
                // Socket senders: a message counts once its sender got it back.
                group.addTask {
                    let socket = try await TestSocket.connect(url: "ws://127.0.0.1:\(server.port)/ws/chat/lobby/?token=\(token)")
                    defer { Task { await socket.close() } }
                    for n in 0..<400 {
                        let client = "\(names[index])-s\(n)"
                        guard (try? await socket.send(#"{"message":"\#(names[index]) socket \#(n)","client_msg_id":"\#(client)"}"#)) != nil else { return }
                        while true {
                            guard let frame = await socket.nextJSON(timeout: .seconds(3)) else { return }
                            acks.record(frame)
                            if frame["client_msg_id"] as? String == client { break }
                        }
                    }
                }
            }
            group.addTask {
                while acks.count < 600 { try await Task.sleep(for: .milliseconds(5)) }
                server.kill()
            }
            try await group.waitForAll()
        }
        #expect(!server.process.isRunning)
        let acknowledged = acks.all
        #expect(acknowledged.count >= 600)

        let restarted = try await ServerProcess.start(arguments: ["--db", path])
        for room in [1, 2] {
            var messages: [[String: Any]] = []
            var before: Int?
            repeat {
                let page = try await restarted.request("GET", "/api/rooms/\(room)/messages?limit=200" + (before.map { "&before=\($0)" } ?? ""), token: tokens[0]).list
                messages = page + messages
                before = page.first?["seq"] as? Int
                if page.count < 200 { break }
            } while true
            let seqs = messages.compactMap { $0["seq"] as? Int }
            #expect(seqs == Array(1...max(1, seqs.count)).prefix(seqs.count).map { $0 }, "room \(room) has a gap")
            let stored = Dictionary(uniqueKeysWithValues: messages.compactMap { m in (m["client_msg_id"] as? String).map { ($0, m) } })
            for (client, ack) in acknowledged where ack.room == room {
                let message = stored[client]
                #expect(message?["id"] as? Int == ack.id, "acknowledged \(client) is missing after kill -9")
                #expect(message?["seq"] as? Int == ack.seq)
                #expect(message?["message"] as? String == ack.text)
            }
            let next = try await restarted.request("POST", "/api/messages", token: tokens[1], json: #"{"room_id":\#(room),"message":"after the restart"}"#)
            #expect(next["seq"] as? Int == seqs.count + 1)
        }
        // Client ids are still recognised: a retry stores nothing new.
        let (client, ack) = try #require(acknowledged.first { $0.key.hasPrefix("ben-r") })
        let retry = try await restarted.request("POST", "/api/messages", token: tokens[1], json: #"{"room_id":\#(ack.room),"message":"\#(ack.text)","client_msg_id":"\#(client)"}"#)
        #expect(retry.status == 200)
        #expect(retry["id"] as? Int == ack.id)
        _ = restarted.stop(signal: SIGTERM)
    }

    @Test func aBadDatabaseStopsTheServerWithAClearError() throws {
        let (directory, path) = try temporaryDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bytes = Data("definitely not a database\n".utf8)
        try bytes.write(to: URL(filePath: path))
        let (status, stderr) = try ServerProcess.runToExit(arguments: ["--db", path, "--port", "0"])
        #expect(status != 0)
        #expect(stderr.contains("Cannot open database \(path): the file is not a SQLite database"), "\(stderr)")
        #expect(try Data(contentsOf: URL(filePath: path)) == bytes)
    }

    @Test func anUnreachablePostgreSQLStopsTheServerWithAClearError() throws {
        // Port 1 on loopback: nothing listens there. The password never shows.
        let (status, stderr) = try ServerProcess.runToExit(arguments: ["--db", "postgres://chat:secret@127.0.0.1:1/chat", "--port", "0"])
        #expect(status != 0)
        #expect(stderr.contains("Cannot open database postgres://chat@127.0.0.1:1/chat: cannot connect to 127.0.0.1:1: Connection refused"), "\(stderr)")
        #expect(!stderr.contains("secret"))
    }

    @Test(arguments: ["100", "-5", "soon"])
    func aBadNodeLeaseIsRefusedAtStart(_ lease: String) throws {
        let (status, stderr) = try ServerProcess.runToExit(arguments: ["--db", ":memory:", "--port", "0", "--node-lease", lease])
        #expect(status != 0)
        #expect(stderr.contains("--node-lease"), "\(stderr)")
    }

    @Test func sigtermClosesSocketsWith1001AndExitsZero() async throws {
        let server = try await ServerProcess.start(arguments: ["--db", ":memory:"])
        let token = try await server.user("alice")
        let socket = try await TestSocket.connect(url: "ws://127.0.0.1:\(server.port)/ws/chat/lobby/?token=\(token)")
        try await socket.send(#"{"message":"before the end"}"#)
        #expect(await socket.nextJSON()?["message"] as? String == "before the end")
        let status = server.stop(signal: SIGTERM)
        #expect(await socket.closeCode() == .some(1001))
        #expect(status == 0)
    }

    @Test func sigtermDoesNotWaitForConnectionsThatSentNoWholeRequest() async throws {
        let server = try await ServerProcess.start(arguments: ["--db", ":memory:"])
        let (status, silentClosed, halfClosed) = try await RawClient.run { () throws -> (Int32?, Bool, Bool) in
            let silent = try RawClient(port: server.port)
            let halfRequest = try RawClient(port: server.port)
            halfRequest.write(Array("GET /ws/chat/lobby/ HTTP/1.1\r\nHost: x\r\nUpg".utf8))
            // A request answered on a third connection: the server is up and has taken the two.
            _ = try RawClient(port: server.port).request("GET", "/healthz")
            let status = server.stop(signal: SIGTERM, within: 20)
            return (status, silent.nextFrame() == nil && silent.isClosedByServer, halfRequest.nextFrame() == nil && halfRequest.isClosedByServer)
        }
        #expect(status == 0, "the server still waited for idle connections 20 s after SIGTERM")
        #expect(silentClosed)
        #expect(halfClosed)
    }
}
