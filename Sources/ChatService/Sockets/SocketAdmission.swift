import ChatEngine

extension ChatService {
    /// Who a socket's upgrade request authenticates, after the checks every socket shares: an
    /// `Origin` the service allows (browsers send one; other clients usually do not), then a
    /// valid token. The error says why not: 403 "Origin not allowed", or 401.
    func socketAccount(token: String?, origin: String?, host: String?) async -> Result<User, ServiceError> {
        if let origin, !OriginPolicy(allowed: configuration.allowedOrigins).allows(origin: origin, host: host) {
            return .failure(ServiceError(status: 403, "Origin not allowed"))
        }
        guard let token, let user = try? await user(forToken: token), let account = read({ $0.user(user) }) else {
            return .failure(.notAuthenticated)
        }
        return .success(account)
    }
}
