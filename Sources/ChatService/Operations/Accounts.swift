import ChatEngine
import ChatProtocol
import ChatStore

/// Registering, logging in and out, and telling who a token belongs to.
extension ChatService {
    /// The message of a failed login: the same for an unknown user and a wrong password.
    public static let invalidCredentialsMessage = "Invalid username or password"

    /// Registers a user: the password rule, a taken name (refused before paying for a hash),
    /// then the engine's rules; the password's hash is stored with the user.
    public func register(_ request: RegisterRequest) async throws(ServiceError) -> UserBody {
        if let problem = RegisterRequest.passwordProblem(request.password) { throw ServiceError(status: 400, problem) }
        if read({ $0.user(named: request.username) }) != nil { throw ServiceError(Rejection.usernameTaken) }
        let hash: String
        do {
            hash = try await passwords.hash(request.password)
        } catch {
            throw ServiceError(status: 500, "Password hashing failed")
        }
        let reply = try await require(.register(username: request.username)) { reply in
            guard case .user(let user) = reply else { return [] }
            return [.passwordHash(user.id, hash)]
        }
        guard case .user(let user) = reply else { throw .unexpectedReply }
        return UserBody(user)
    }

    /// Logs in from `address` (for throttling): a token and the user, or 401 with
    /// ``invalidCredentialsMessage`` (429 after repeated failures).
    public func login(_ request: LoginRequest, from address: String) async throws(ServiceError) -> LoginResponse {
        let now = clock.now()
        guard !loginThrottle.isBlocked(username: request.username, address: address, at: now) else {
            throw ServiceError(status: 429, LoginThrottle.blockedMessage)
        }
        let user = read { $0.user(named: request.username) }
        let hash: String? = if let user {
            try await storeRead { () async throws(StoreError) in try await store.passwordHash(of: user.id) }
        } else {
            nil
        }
        // An unknown user costs a verify too, so both failures look alike.
        guard await passwords.verify(request.password, against: hash), let user else {
            loginThrottle.recordFailure(username: request.username, address: address, at: now)
            throw ServiceError(status: 401, Self.invalidCredentialsMessage)
        }
        loginThrottle.recordSuccess(username: request.username, address: address)
        let token = try await storeRead { () async throws(StoreError) in try await tokens.issue(for: user.id, at: now) }
        return LoginResponse(token: token, user: UserBody(user))
    }

    /// Revokes `token`: it stops working at once, here and after a restart, and every socket
    /// opened with it gets an error frame and a 4401 close.
    public func logout(token: String) async throws(ServiceError) {
        let now = clock.now()
        try await storeRead { () async throws(StoreError) in try await tokens.revoke(token, at: now) }
        closeSockets(of: token)
        if node != nil, TokenService.isWellFormed(token) { await core.announceLogout(TokenService.hash(of: token)) }
    }

    /// With several nodes: a token was revoked through another node (its revocation is stored):
    /// a cached copy stops working now, and the sockets opened with it here close.
    func loggedOutElsewhere(tokenHash: [UInt8]) {
        tokens.revokedElsewhere(hash: tokenHash, at: clock.now())
        for token in socketTokens.tokens(hashingTo: tokenHash) { closeSockets(of: token) }
    }

    /// The user `token` authenticates now, or nil for a malformed, unknown, expired or revoked
    /// token; 503 only when the store cannot be read.
    public func user(forToken token: String) async throws(ServiceError) -> UserID? {
        let now = clock.now()
        return try await storeRead { () async throws(StoreError) in try await tokens.user(for: token, at: now) }
    }

    /// Every user.
    public func users() -> [UserBody] {
        read { $0.allUsers.map(UserBody.init) }
    }
}
