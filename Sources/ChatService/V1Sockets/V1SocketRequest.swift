/// A v1 socket's upgrade request: `/ws/v1` (trailing slash optional) with its token and what the
/// origin check needs.
public struct V1SocketRequest: Hashable, Sendable {
    /// `Authorization: Bearer <token>`, else the `token` query parameter.
    public let token: String?
    /// The `Origin` header (browsers send it; other clients usually do not).
    public let origin: String?
    /// The `Host` header.
    public let host: String?

    /// Reads a request target and its headers; nil when the path is not `/ws/v1`.
    public init?(target: String, authorization: String?, origin: String?, host: String?) {
        let target = RequestTarget(target)
        guard target.path == ["ws", "v1"] else { return nil }
        token = target.token(authorization: authorization)
        self.origin = origin
        self.host = host
    }
}
