import ChatEngine
import ChatProtocol

extension ChatService {
    /// Who a socket's upgrade request authenticates, after the checks every socket shares: an
    /// `Origin` the service allows (browsers send one; other clients usually do not), then a
    /// valid token. The error says why not: 403 "Origin not allowed", or 401. On success the
    /// session is recorded under its token (before the token is checked, so a logout at the same
    /// moment cannot miss it); a socket refused later, or closed, calls ``socketClosed(_:)``.
    func socketAccount(token: String?, origin: String?, host: String?, session: SessionID) async -> Result<User, ServiceError> {
        if let origin, !OriginPolicy(allowed: configuration.allowedOrigins).allows(origin: origin, host: host) {
            return .failure(ServiceError(status: 403, "Origin not allowed"))
        }
        guard let token else { return .failure(.notAuthenticated) }
        socketTokens.add(session, token: token)
        await catchUp()
        guard let user = try? await user(forToken: token), let account = read({ $0.user(user) }) else {
            socketTokens.remove(session)
            return .failure(.notAuthenticated)
        }
        return .success(account)
    }

    /// Forgets a socket's token: the socket was refused after its token was checked, or closed.
    func socketClosed(_ session: SessionID) {
        socketTokens.remove(session)
    }

    /// Closes every socket opened with `token` (just revoked): an error frame in the socket's
    /// protocol, then 4401, as a socket that was never authenticated gets.
    func closeSockets(of token: String) {
        let error = ServiceError.notAuthenticated
        for session in socketTokens.removeAll(token: token) {
            let frame = core.v1Sessions.withIDs { $0.contains(session) }
                ? V1ServerFrame.error(id: nil, code: error.code, message: error.message).encoded()
                : DeliveryRenderer.error(error.message)
            core.outbox.send(.close(frame, code: UInt16(4000 + error.status)), to: session)
        }
    }
}
