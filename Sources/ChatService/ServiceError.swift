import ChatEngine
import ChatProtocol
import ChatStore

/// An error a client sees: the HTTP status it stands for (a socket's close code is 4000 + it)
/// and the exact human message, the same text a test asserts.
public struct ServiceError: Error, Equatable, Sendable {
    /// 400 invalid input, 401 not authenticated, 403 not allowed, 404 unknown, 409 conflict,
    /// 429 too many requests, 500 a bug, 503 storage unavailable.
    public let status: Int
    /// The human message.
    public let message: String
    /// The stable machine word a v1 error frame carries (``ErrorCode``).
    public let code: String

    /// An error with a status, a message and a code (by default the status's).
    public init(status: Int, _ message: String, code: String? = nil) {
        self.status = status
        self.message = message
        self.code = code ?? ErrorCode.of(status: status)
    }

    /// The message of a request without a valid token.
    public static let notAuthenticatedMessage = "Authentication credentials were not provided or are invalid"
    /// The message while the store cannot take writes.
    public static let storageUnavailableMessage = "The server cannot store anything right now; try again later"

    /// No valid token (401).
    public static let notAuthenticated = ServiceError(status: 401, notAuthenticatedMessage)
    /// The store failed (503).
    public static let storageUnavailable = ServiceError(status: 503, storageUnavailableMessage)
    /// The engine answered with a reply the operation does not expect (a bug; 500).
    static let unexpectedReply = ServiceError(status: 500, "Unexpected reply")

    /// A decoding error: always 400.
    public init(_ error: WireError) {
        self.init(status: 400, error.message, code: ErrorCode.invalidFrame)
    }

    /// An engine rejection, with the status and the code that stand for it.
    public init(_ rejection: Rejection) {
        self.init(status: HTTPStatusCode.of(rejection), rejection.message, code: ErrorCode.of(rejection))
    }

    /// A storage failure: unavailable until the store recovers.
    public init(_ error: StoreError) {
        self = .storageUnavailable
    }
}
