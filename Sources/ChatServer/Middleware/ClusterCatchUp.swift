import ChatService
import Hummingbird

/// With several nodes on one database: before an `/api` request, this node applies everything
/// any node committed before it arrived, so a client that posted through one node and reads
/// through another sees its own writes. Nothing happens on a node with a store of its own.
struct ClusterCatchUp: RouterMiddleware {
    typealias Context = ChatRequestContext

    let chat: ChatService

    func handle(_ request: Request, context: ChatRequestContext, next: (Request, ChatRequestContext) async throws -> Response) async throws -> Response {
        if chat.node != nil, request.uri.path.hasPrefix("/api/") { await chat.catchUp() }
        return try await next(request, context)
    }
}
