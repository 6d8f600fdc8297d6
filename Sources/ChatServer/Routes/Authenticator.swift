import ChatEngine
import ChatStore
import Foundation
import Hummingbird

/// Reads `Authorization: Bearer <token>` (or `?token=` for browsers' sockets) and, when the
/// token is valid, puts its user in the context. Routes that need a user call `requireUser()`.
struct Authenticator: RouterMiddleware {
    typealias Context = ChatRequestContext
    let services: ServerServices

    func handle(_ request: Request, context: ChatRequestContext, next: (Request, ChatRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        if let token = Self.token(in: request) {
            let user = try await services.storeRead { () async throws(StoreError) -> UserID? in try await services.tokens.user(for: token, at: WallClock.now()) }
            context.user = user
            context.token = user == nil ? nil : token
        }
        return try await next(request, context)
    }

    /// The bearer token of a request, from its header or its `token` query parameter.
    static func token(in request: Request) -> String? {
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" { return String(parts[1]).trimmingCharacters(in: .whitespaces) }
            return nil
        }
        return request.uri.queryParameters.get("token")
    }
}
