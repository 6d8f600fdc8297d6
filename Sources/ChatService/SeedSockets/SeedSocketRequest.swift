import ChatEngine
import Foundation

/// What a seed socket's upgrade request asks for: the room of one of the seed's paths
/// (`/ws/chat/<room>/`, `/ws/chat/group/<room>/`, `/ws/private/<username>/`, trailing slash
/// optional, names percent-decoded), the token, and what the origin check needs.
public struct SeedSocketRequest: Hashable, Sendable {
    /// The room asked for.
    public let address: RoomAddress
    /// `Authorization: Bearer <token>`, else the `token` query parameter.
    public let token: String?
    /// The `Origin` header (browsers send it; other clients usually do not).
    public let origin: String?
    /// The `Host` header.
    public let host: String?

    /// Reads a request target (path and query) and its headers; nil when the path is not a
    /// seed socket path.
    public init?(target: String, authorization: String?, origin: String?, host: String?) {
        let target = RequestTarget(target)
        let path = target.path
        switch path.count {
        case 4 where path[0] == "ws" && path[1] == "chat" && path[2] == "group": address = .group(named: path[3])
        case 3 where path[0] == "ws" && path[1] == "chat": address = .named(path[2])
        case 3 where path[0] == "ws" && path[1] == "private": address = .privateWith(username: path[2])
        default: return nil
        }
        token = target.token(authorization: authorization)
        self.origin = origin
        self.host = host
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
