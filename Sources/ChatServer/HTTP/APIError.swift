import ChatProtocol
import ChatService
import Hummingbird

/// An error a client sees: a status and `{"error": "<message>"}`.
public struct APIError: HTTPResponseError, Equatable {
    public let status: HTTPResponse.Status
    /// The human message.
    public let message: String

    /// An error with a status and a message.
    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    /// The HTTP form of a service error: the same status and message.
    public init(_ error: ServiceError) {
        self.init(HTTPResponse.Status(code: error.status), error.message)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(status, ErrorBody(error: message))
    }
}
