import ChatEngine
import ChatService
import Hummingbird
import NIOCore

/// Per-request state: the authenticated user, the client's address and the channel.
public struct ChatRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection the request came on.
    let channel: any Channel
    /// The user a valid bearer token named, once ``Authenticator`` has run.
    var user: UserID?
    /// The raw bearer token, for logout.
    var token: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The client's IP address, for login throttling.
    var clientAddress: String { channel.remoteAddress?.ipAddress ?? "unknown" }

    /// The authenticated user, or a 401.
    func requireUser() throws -> UserID {
        guard let user else { throw APIError(.notAuthenticated) }
        return user
    }
}
