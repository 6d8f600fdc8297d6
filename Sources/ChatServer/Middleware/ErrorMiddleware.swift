import ChatService
import Hummingbird
import Logging
import NIOCore

/// Turns every error into the contract's `{"error": "<message>"}` with its status, so no
/// route (or the router's own 404/405) answers in another shape; unexpected errors are
/// logged and answered with a 500 that reveals nothing.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = ChatRequestContext

    func handle(_ request: Request, context: ChatRequestContext, next: (Request, ChatRequestContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as ServiceError {
            throw APIError(error)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, "Request body is too large")
        } catch let error as HTTPError {
            throw APIError(error.status, error.body ?? error.status.reasonPhrase)
        } catch let error as any HTTPResponseError {
            throw APIError(error.status, error.status.reasonPhrase)
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(String(reflecting: error))"])
            throw APIError(.internalServerError, "Internal server error")
        }
    }
}
