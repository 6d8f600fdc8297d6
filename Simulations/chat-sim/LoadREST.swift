import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The REST calls `chat-sim load` makes around its sockets: register, log in, find rooms, see
/// who is online, and read a room's last seq. Not on the measured path.
struct LoadREST: Sendable {
    /// `http://host:port`, without a trailing slash.
    let base: String

    /// A reply's status and decoded JSON body.
    struct Reply {
        let status: Int
        let body: Any?
    }

    /// Registers `username` (a 409 for a name taken by an earlier run is fine: the load logs in
    /// with the same password) and returns a token.
    func registerAndLogIn(username: String, password: String) async throws -> String {
        let credentials: [String: Any] = ["username": username, "password": password]
        let registered = try await request("POST", "/api/register", body: credentials)
        guard registered.status == 201 || registered.status == 409 else {
            throw LoadError("register \(username): HTTP \(registered.status) \(Self.error(registered))")
        }
        let login = try await request("POST", "/api/login", body: credentials)
        guard login.status == 200, let token = (login.body as? [String: Any])?["token"] as? String else {
            throw LoadError("login \(username): HTTP \(login.status) \(Self.error(login))")
        }
        return token
    }

    /// Every visible room's id, by name (public rooms only).
    func publicRoomIDs(token: String) async throws -> [String: Int] {
        let reply = try await request("GET", "/api/rooms", token: token)
        guard reply.status == 200, let rooms = reply.body as? [[String: Any]] else { throw LoadError("GET /api/rooms: HTTP \(reply.status)") }
        var ids: [String: Int] = [:]
        for room in rooms where room["kind"] as? String == "public" {
            if let name = room["name"] as? String, let id = room["id"] as? Int { ids[name] = id }
        }
        return ids
    }

    /// How many users are online in room `id`.
    func onlineCount(room id: Int, token: String) async throws -> Int {
        let reply = try await request("GET", "/api/rooms/\(id)/online", token: token)
        guard reply.status == 200, let users = reply.body as? [Any] else { throw LoadError("GET /api/rooms/\(id)/online: HTTP \(reply.status)") }
        return users.count
    }

    /// The seq of room `id`'s latest message (0 when it has none).
    func lastSeq(room id: Int, token: String) async throws -> Int {
        let reply = try await request("GET", "/api/rooms/\(id)/messages?limit=1", token: token)
        guard reply.status == 200, let messages = reply.body as? [[String: Any]] else { throw LoadError("GET /api/rooms/\(id)/messages: HTTP \(reply.status)") }
        return messages.last?["seq"] as? Int ?? 0
    }

    /// Whether the server answers `GET /healthz`.
    func isHealthy() async -> Bool {
        (try? await request("GET", "/healthz"))?.status == 200
    }

    private func request(_ method: String, _ path: String, token: String? = nil, body: [String: Any]? = nil) async throws -> Reply {
        guard let url = URL(string: base + path) else { throw LoadError("bad URL \(base + path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = 60
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Reply(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: try? JSONSerialization.jsonObject(with: data))
    }

    private static func error(_ reply: Reply) -> String {
        (reply.body as? [String: Any])?["error"] as? String ?? ""
    }
}

/// A failure of the load, with a message for the operator.
struct LoadError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
