import ChatEngine
import ChatProtocol
import ChatStore
import Hummingbird
import NIOCore

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

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(status, ErrorBody(error: message))
    }

    static let notAuthenticated = "Authentication credentials were not provided or are invalid"
    static let storageUnavailable = "The server cannot store anything right now; try again later"

    /// The HTTP form of a wire (decoding) error: always 400.
    init(_ error: WireError) {
        self.init(.badRequest, error.message)
    }

    /// The HTTP form of an engine rejection.
    init(_ rejection: Rejection) {
        self.init(Self.status(of: rejection), rejection.message)
    }

    /// The HTTP form of a storage failure: the server is unavailable until it recovers.
    init(_ error: StoreError) {
        self.init(.serviceUnavailable, Self.storageUnavailable)
    }

    /// The status that stands for a rejection (and, plus 4000, the socket close code).
    static func status(of rejection: Rejection) -> HTTPResponse.Status {
        HTTPResponse.Status(code: HTTPStatusCode.of(rejection))
    }
}

/// JSON responses.
enum JSONResponse {
    /// The content type of every JSON body.
    static let contentType = "application/json; charset=utf-8"

    /// A response with `body` encoded as JSON.
    static func make(_ status: HTTPResponse.Status, _ body: some WireEncodable) -> Response {
        Response(
            status: status,
            headers: [.contentType: contentType],
            body: .init(byteBuffer: ByteBuffer(bytes: WireEncoder.encode(body)))
        )
    }
}
