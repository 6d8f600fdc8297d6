import ChatEngine
import Foundation
import HummingbirdCore
import NIOHTTP1

/// What a socket upgrade asks for, read from its request head: the room of one of the seed's
/// paths (`/ws/chat/<room>/`, `/ws/chat/group/<room>/`, `/ws/private/<username>/`, trailing
/// slash optional, names percent-decoded), its token and the headers the origin check needs.
struct SocketRequest: Sendable {
    let address: RoomAddress
    /// `Authorization: Bearer <token>`, else the `token` query parameter (browsers cannot set
    /// headers on sockets).
    let token: String?
    let origin: String?
    let host: String?

    /// Nil when the path is not a socket path.
    init?(_ head: HTTPRequestHead) {
        let uri = URI(head.uri)
        let parts = uri.path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        switch parts.count {
        case 4 where parts[0] == "ws" && parts[1] == "chat" && parts[2] == "group": address = .group(named: parts[3])
        case 3 where parts[0] == "ws" && parts[1] == "chat": address = .named(parts[2])
        case 3 where parts[0] == "ws" && parts[1] == "private": address = .privateWith(username: parts[2])
        default: return nil
        }
        token = Authenticator.bearerToken(inHeader: head.headers.first(name: "authorization")) ?? uri.queryParameters.get("token")
        origin = head.headers.first(name: "origin")
        host = head.headers.first(name: "host")
    }
}
