@testable import ChatServer
import Foundation
import NIOWebSocket
import Testing

/// What a seed socket promises once its handshake completes: it is in its room, it may follow
/// other requests on a keep-alive connection, and it receives only the frames old clients know.
@Suite struct SocketHandshakeTests {
    @Test func aSocketIsInItsRoomOnceItsHandshakeCompletes() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let bob = try await api.user("bob")
            let lobby = try await api.room("lobby", token: alice.token)
            let tries = 300
            // On one thread, with nothing in between: read the 101, post at once from bob's own
            // keep-alive connection, then read the socket.
            let (misses, failures) = try await RawClient.run { () throws -> ([Int], [String]) in
                let rest = try RawClient(port: api.port)
                var misses: [Int] = []
                var failures: [String] = []
                for index in 0..<tries where misses.count + failures.count < 5 {
                    let socket = try RawClient(port: api.port, timeout: 3)
                    let status = try socket.upgrade("/ws/chat/lobby/?token=\(alice.token)")
                    guard status == 101 else {
                        failures.append("try \(index): upgrade answered \(status)")
                        continue
                    }
                    let posted = try rest.request("POST", "/api/messages", token: bob.token, json: #"{"room_id":\#(lobby),"message":"m\#(index)"}"#)
                    guard posted.status == 201 else {
                        failures.append("try \(index): post answered \(posted.status) \(posted.body)")
                        continue
                    }
                    if socket.nextText()?.contains(#""message":"m\#(index)""#) != true { misses.append(index) }
                }
                return (misses, failures)
            }
            #expect(failures.isEmpty, "\(failures)")
            #expect(misses.isEmpty, "messages posted right after the handshake missed the socket in tries \(misses)")
        }
    }

    @Test func anUpgradeMayFollowRequestsOnAKeepAliveConnection() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let (statuses, echo) = try await RawClient.run { () throws -> ([Int], String?) in
                let client = try RawClient(port: api.port)
                let health = try client.request("GET", "/healthz")
                let rooms = try client.request("GET", "/api/rooms", token: alice.token)
                let upgraded = try client.upgrade("/ws/chat/lobby/?token=\(alice.token)")
                try client.send(text: #"{"message":"over a reused connection"}"#)
                return ([health.status, rooms.status, upgraded], client.nextText())
            }
            #expect(statuses == [200, 200, 101])
            #expect(echo?.contains(#""message":"over a reused connection""#) == true, "\(echo ?? "nothing")")
        }
    }

    @Test func aRefusedSocketAfterRequestsIsClosedWithItsCode() async throws {
        try await TestServer.run { api in
            let (status, frames) = try await RawClient.run { () throws -> (Int, [RawClient.Frame]) in
                let client = try RawClient(port: api.port)
                _ = try client.request("GET", "/healthz")
                return (try client.upgrade("/ws/chat/lobby/?token=not-a-token"), client.framesUntilClose())
            }
            #expect(status == 101)
            #expect(frames.map(\.text).first == #"{"type":"error","error":"Authentication credentials were not provided or are invalid"}"#)
            #expect(frames.last?.closeCode == 4401)
        }
    }

    @Test func otherUpgradesAfterRequestsAreAnsweredAsHTTPAndClosed() async throws {
        try await TestServer.run { api in
            let (elsewhere, elsewhereClosed, badKey, badKeyClosed) = try await RawClient.run { () throws -> (RawClient.Response, Bool, Int, Bool) in
                let first = try RawClient(port: api.port)
                _ = try first.request("GET", "/healthz")
                first.write(Array("GET /ws/elsewhere/ HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n".utf8))
                let notFound = try first.response()
                let second = try RawClient(port: api.port)
                _ = try second.request("GET", "/healthz")
                second.write(Array("GET /ws/chat/lobby/ HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n".utf8))
                let badRequest = try second.response()
                return (notFound, first.nextFrame() == nil && first.isClosedByServer, badRequest.status, second.nextFrame() == nil && second.isClosedByServer)
            }
            #expect(elsewhere.status == 404)
            #expect(elsewhere.body == #"{"error":"Not Found"}"#)
            #expect(elsewhereClosed)
            #expect(badKey == 400)
            #expect(badKeyClosed)
        }
    }

    @Test func seedSocketsReceiveOnlyMessageTypingAndErrorFrames() async throws {
        // Old clients take any other frame for a message: presence and membership stay off the
        // seed paths, whoever comes, types, sends and goes.
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let bob = try await api.user("bob")
            let watcher = try await TestSocket.connect(api, "/ws/chat/lobby/?token=\(alice.token)")
            let visitor = try await TestSocket.connect(api, "/ws/chat/lobby/?token=\(bob.token)")
            try await visitor.send(#"{"type":"typing"}"#)
            try await visitor.send(#"{"message":"hello"}"#)
            await visitor.close()
            for _ in 0..<250 where try await api.request(.get, "/api/rooms/1/online", token: alice.token).list.count != 1 {
                try await Task.sleep(for: .milliseconds(20))
            }
            try await watcher.send(#"{"message":"marker"}"#)
            var types: [String] = []
            while let frame = await watcher.nextJSON() {
                types.append(frame["type"] as? String ?? "?")
                if frame["message"] as? String == "marker" { break }
            }
            #expect(types == ["typing", "message", "typing", "message"], "typing, the message, typing stopped by it, the marker")
            await watcher.close()
        }
    }
}
