import Foundation

/// An upgrade request's target (path and query), as the socket requests read it.
struct RequestTarget {
    /// The path's components, percent-decoded, without empty ones (`/ws/v1/` is `["ws", "v1"]`).
    let path: [String]
    private let query: Substring?

    init(_ target: String) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = parts[0].split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        query = parts.dropFirst().first
    }

    /// `Authorization: Bearer <token>`, else the `token` query parameter (browsers cannot set
    /// headers on sockets; REST takes the header only, since URLs end up in proxies' logs).
    func token(authorization: String?) -> String? {
        ChatService.bearerToken(fromAuthorization: authorization) ?? value(of: "token")
    }

    /// A query parameter's percent-decoded value (`+` is a space, as in HTML forms).
    private func value(of name: String) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&") {
            let field = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard field[0] == name else { continue }
            let raw = field.count > 1 ? String(field[1]).replacingOccurrences(of: "+", with: " ") : ""
            return raw.removingPercentEncoding ?? raw
        }
        return nil
    }
}
