import ChatEngine
import Foundation

/// What a seed socket's upgrade request asks for: the room of one of the seed's paths
/// (`/ws/chat/<room>/`, `/ws/chat/group/<room>/`, `/ws/private/<username>/`, trailing slash
/// optional, names percent-decoded), the token, and what the origin check needs.
public struct SeedSocketRequest: Hashable, Sendable {
    /// The room asked for.
    public let address: RoomAddress
    /// `Authorization: Bearer <token>`, else the `token` query parameter (browsers cannot set
    /// headers on sockets; REST takes the header only, since URLs end up in proxies' logs).
    public let token: String?
    /// The `Origin` header (browsers send it; other clients usually do not).
    public let origin: String?
    /// The `Host` header.
    public let host: String?

    /// Reads a request target (path and query) and its headers; nil when the path is not a
    /// seed socket path.
    public init?(target: String, authorization: String?, origin: String?, host: String?) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = parts[0].split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        switch path.count {
        case 4 where path[0] == "ws" && path[1] == "chat" && path[2] == "group": address = .group(named: path[3])
        case 3 where path[0] == "ws" && path[1] == "chat": address = .named(path[2])
        case 3 where path[0] == "ws" && path[1] == "private": address = .privateWith(username: path[2])
        default: return nil
        }
        token = ChatService.bearerToken(fromAuthorization: authorization) ?? parts.dropFirst().first.flatMap { Self.queryValue("token", in: $0) }
        self.origin = origin
        self.host = host
    }

    /// A query parameter's percent-decoded value (`+` is a space, as in HTML forms).
    private static func queryValue(_ name: String, in query: Substring) -> String? {
        for pair in query.split(separator: "&") {
            let field = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard field[0] == name else { continue }
            let raw = field.count > 1 ? String(field[1]).replacingOccurrences(of: "+", with: " ") : ""
            return raw.removingPercentEncoding ?? raw
        }
        return nil
    }
}

extension ChatService {
    /// The token of an `Authorization` header's value `Bearer <token>` (the scheme in any case).
    public static func bearerToken(fromAuthorization header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }
}
