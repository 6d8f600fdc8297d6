import ChatService
import Hummingbird

/// Reads `Authorization: Bearer <token>` and, when the token is valid, puts its user in the
/// context. Routes that need a user call `requireUser()`. (Only sockets also take `?token=` (``SocketRequest``):
/// browsers cannot set headers on them, and tokens in REST URLs end up in proxies' logs.)
struct Authenticator: RouterMiddleware {
    typealias Context = ChatRequestContext
    let services: ServerServices

    func handle(_ request: Request, context: ChatRequestContext, next: (Request, ChatRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        if let token = ChatService.bearerToken(fromAuthorization: request.headers[.authorization]) {
            let user = try await services.chat.user(forToken: token)
            context.user = user
            context.token = user == nil ? nil : token
        }
        return try await next(request, context)
    }
}
