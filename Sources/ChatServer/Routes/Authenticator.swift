import ChatEngine
import ChatStore
import Foundation
import Hummingbird

/// Reads `Authorization: Bearer <token>` and, when the token is valid, puts its user in the
/// context. Routes that need a user call `requireUser()`. (Only sockets also take `?token=` (``SocketRequest``):
/// browsers cannot set headers on them, and tokens in REST URLs end up in proxies' logs.)
struct Authenticator: RouterMiddleware {
    typealias Context = ChatRequestContext
    let services: ServerServices

    func handle(_ request: Request, context: ChatRequestContext, next: (Request, ChatRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        if let token = Self.bearerToken(in: request) {
            let user = try await services.storeRead { () async throws(StoreError) -> UserID? in try await services.tokens.user(for: token, at: services.clock.now()) }
            context.user = user
            context.token = user == nil ? nil : token
        }
        return try await next(request, context)
    }

    /// The token of an `Authorization: Bearer <token>` header.
    static func bearerToken(in request: Request) -> String? {
        bearerToken(inHeader: request.headers[.authorization])
    }

    /// The token of an `Authorization` header's value `Bearer <token>`.
    static func bearerToken(inHeader header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }
}
