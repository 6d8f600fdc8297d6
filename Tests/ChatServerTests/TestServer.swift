import ChatEngine
@testable import ChatServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// A server on a loopback port with an in-memory (or given) database, for one test.
enum TestServer {
    /// A configuration fit for tests: cheap bcrypt, no send limit unless a test sets one.
    static func configuration(_ configure: (inout ServerConfiguration) -> Void = { _ in }) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.databasePath = ":memory:"
        configuration.port = 0
        configuration.bcryptCost = 4
        configuration.sendRatePerSecond = 1_000_000
        configuration.sendBurst = 1_000_000
        configure(&configuration)
        return configuration
    }

    /// Runs `body` against a live server.
    static func run(
        _ configure: (inout ServerConfiguration) -> Void = { _ in },
        logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
        _ body: @escaping @Sendable (TestAPI) async throws -> Void
    ) async throws {
        let server = try await ChatServer(configuration: configuration(configure), logger: logger)
        try await server.makeApplication().test(.live) { client in
            try await body(TestAPI(client: client))
        }
    }
}

/// A response as a test sees it.
struct TestReply: Sendable {
    let status: Int
    let body: String
    var headers: HTTPFields = [:]

    /// The body parsed as JSON.
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) }
    /// The body's `error` field.
    var error: String? { (json as? [String: Any])?["error"] as? String }
    /// A field of a JSON object body.
    subscript(key: String) -> Any? { (json as? [String: Any])?[key] }
    /// The body as a list of objects.
    var list: [[String: Any]] { json as? [[String: Any]] ?? [] }
}

/// Shorthands over the test client.
struct TestAPI: Sendable {
    let client: any TestClientProtocol

    var port: Int { client.port ?? 0 }

    @discardableResult
    func request(_ method: HTTPRequest.Method, _ path: String, token: String? = nil, json: String? = nil, headers: HTTPFields = [:]) async throws -> TestReply {
        var headers = headers
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        return TestReply(status: Int(response.status.code), body: String(buffer: response.body), headers: response.headers)
    }

    /// Registers `name` (password "password1") and logs in; returns the user's id and token.
    func user(_ name: String) async throws -> (id: Int64, token: String) {
        let registered = try await request(.post, "/api/register", json: #"{"username":"\#(name)","password":"password1"}"#)
        #expect(registered.status == 201, "register \(name): \(registered.body)")
        let login = try await request(.post, "/api/login", json: #"{"username":"\#(name)","password":"password1"}"#)
        #expect(login.status == 200, "login \(name): \(login.body)")
        return ((registered["id"] as? Int).map(Int64.init) ?? 0, login["token"] as? String ?? "")
    }

    /// Waits until `count` users are online in the room: a socket is subscribed a moment after
    /// its upgrade, so a test that sends from elsewhere right after connecting waits for this.
    func waitUntilOnline(_ count: Int, in room: Int, token: String) async throws {
        for _ in 0..<250 {
            if try await request(.get, "/api/rooms/\(room)/online", token: token).list.count >= count { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("fewer than \(count) users online in room \(room)")
    }

    /// `GET /api/rooms` once it lists at least `count` rooms (a private room opened by a socket
    /// exists a moment after the socket's upgrade).
    func rooms(token: String, atLeast count: Int) async throws -> [[String: Any]] {
        for _ in 0..<250 {
            let rooms = try await request(.get, "/api/rooms", token: token).list
            if rooms.count >= count { return rooms }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("fewer than \(count) rooms listed")
        return []
    }

    /// Creates a room and returns its id.
    func room(_ name: String, kind: String = "public", token: String) async throws -> Int {
        let reply = try await request(.post, "/api/rooms", token: token, json: #"{"name":"\#(name)","kind":"\#(kind)"}"#)
        #expect(reply.status == 201, "create room \(name): \(reply.body)")
        return reply["id"] as? Int ?? 0
    }
}
