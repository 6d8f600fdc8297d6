import ChatService

/// What an upgrade request on one of the socket paths asks for: a seed socket (one room) or a
/// v1 socket (`/ws/v1`, every room).
enum SocketRequest: Sendable {
    case seed(SeedSocketRequest)
    case v1(V1SocketRequest)

    /// Reads a request target and its headers; nil when the path is not a socket path.
    init?(target: String, authorization: String?, origin: String?, host: String?) {
        if let request = V1SocketRequest(target: target, authorization: authorization, origin: origin, host: host) {
            self = .v1(request)
        } else if let request = SeedSocketRequest(target: target, authorization: authorization, origin: origin, host: host) {
            self = .seed(request)
        } else {
            return nil
        }
    }
}
