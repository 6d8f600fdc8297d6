import Foundation
import Testing

@Suite struct AuthRouteTests {
    @Test func registerCreatesAUser() async throws {
        try await TestServer.run { api in
            let reply = try await api.request(.post, "/api/register", json: #"{"username":"alice","password":"password1"}"#)
            #expect(reply.status == 201)
            #expect(reply.body == #"{"id":1,"username":"alice"}"#)
        }
    }

    @Test func registerRefusesBadInput() async throws {
        try await TestServer.run { api in
            let cases: [(String, Int, String)] = [
                (#"{"username":"has space","password":"password1"}"#, 400, "Username must be 1 to 150 characters: letters, digits and @ . + - _ only"),
                (#"{"username":"","password":"password1"}"#, 400, "Username must be 1 to 150 characters: letters, digits and @ . + - _ only"),
                (#"{"username":"\#(String(repeating: "a", count: 151))","password":"password1"}"#, 400, "Username must be 1 to 150 characters: letters, digits and @ . + - _ only"),
                (#"{"username":"alice","password":"short"}"#, 400, "Password must be at least 8 characters"),
                (#"{"username":"alice","password":"\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000"}"#, 400, "Password must not contain U+0000 (NUL)"),
                (#"{"username":"alice"}"#, 400, "Missing field: password"),
                (#"{"username":"alice","password":"password1","admin":true}"#, 400, "Unknown field: admin"),
                (#"{"username":5,"password":"password1"}"#, 400, "Field 'username' must be a string"),
                (#"{"username":"alice","password":"#, 400, "Invalid JSON"),
                ("[]", 400, "Invalid JSON"),
            ]
            for (body, status, message) in cases {
                let reply = try await api.request(.post, "/api/register", json: body)
                #expect(reply.status == status, "\(body)")
                #expect(reply.error == message, "\(body): \(reply.body)")
            }
            #expect(try await api.request(.get, "/api/users", token: api.user("zed").token).list.count == 1)
        }
    }

    @Test func registerRefusesATakenNameCaseInsensitively() async throws {
        try await TestServer.run { api in
            _ = try await api.user("alice")
            let reply = try await api.request(.post, "/api/register", json: #"{"username":"ALICE","password":"password1"}"#)
            #expect(reply.status == 409)
            #expect(reply.error == "A user with that username already exists")
        }
    }

    @Test func loginIsCaseInsensitiveAndFailsTheSameForUnknownUsersAndWrongPasswords() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("Alice")
            let login = try await api.request(.post, "/api/login", json: #"{"username":"aLiCe","password":"password1"}"#)
            #expect(login.status == 200)
            #expect((login["user"] as? [String: Any])?["id"] as? Int == Int(alice.id))
            #expect((login["token"] as? String)?.count == 43)
            let wrong = try await api.request(.post, "/api/login", json: #"{"username":"alice","password":"password2"}"#)
            let unknown = try await api.request(.post, "/api/login", json: #"{"username":"nobody","password":"password1"}"#)
            #expect(wrong.status == 401)
            #expect(unknown.status == 401)
            #expect(wrong.body == unknown.body)
            #expect(wrong.body == #"{"error":"Invalid username or password"}"#)
        }
    }

    @Test func repeatedFailedLoginsAreThrottled() async throws {
        try await TestServer.run({ $0.maxLoginFailures = 3 }) { api in
            _ = try await api.user("alice")
            for _ in 1...3 {
                #expect(try await api.request(.post, "/api/login", json: #"{"username":"alice","password":"wrong-password"}"#).status == 401)
            }
            let blocked = try await api.request(.post, "/api/login", json: #"{"username":"alice","password":"password1"}"#)
            #expect(blocked.status == 429)
            #expect(blocked.error == "Too many failed logins; try again later")
        }
    }

    @Test func logoutRevokesTheTokenAtOnce() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            #expect(try await api.request(.get, "/api/users", token: alice.token).status == 200)
            let logout = try await api.request(.post, "/api/logout", token: alice.token)
            #expect(logout.status == 204)
            let after = try await api.request(.get, "/api/users", token: alice.token)
            #expect(after.status == 401)
            #expect(try await api.request(.post, "/api/logout", token: alice.token).status == 401)
        }
    }

    @Test(arguments: [
        ("GET", "/api/users"), ("GET", "/api/rooms"), ("POST", "/api/rooms"), ("POST", "/api/rooms/with-members"),
        ("POST", "/api/rooms/1/members"), ("DELETE", "/api/rooms/1/members/bob"), ("PATCH", "/api/rooms/1/members/bob"),
        ("GET", "/api/rooms/1/messages"), ("GET", "/api/messages"), ("POST", "/api/messages"), ("POST", "/api/logout"),
    ])
    func everyProtectedEndpointNeedsAToken(_ method: String, _ path: String) async throws {
        try await TestServer.run { api in
            for token in [nil, "garbage", String(repeating: "A", count: 43)] {
                let reply = try await api.request(.init(method)!, path, token: token, json: "{}")
                #expect(reply.status == 401, "\(method) \(path) with \(token ?? "no token")")
                #expect(reply.error == "Authentication credentials were not provided or are invalid")
            }
        }
    }

    @Test func tokensSurviveARestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "chat-token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appending(path: "chat.sqlite").path
        let token = TokenBox()
        try await TestServer.run({ $0.databasePath = path }) { api in
            token.value = try await api.user("alice").token
        }
        try await TestServer.run({ $0.databasePath = path }) { api in
            let users = try await api.request(.get, "/api/users", token: token.value)
            #expect(users.status == 200)
            #expect(users.list.first?["username"] as? String == "alice")
        }
    }
}

/// Carries a value out of a `@Sendable` closure in a test.
final class TokenBox: @unchecked Sendable {
    var value = ""
}
