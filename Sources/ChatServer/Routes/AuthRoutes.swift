import ChatEngine
import ChatProtocol
import ChatStore
import Hummingbird

/// `POST /api/register`, `/api/login`, `/api/logout`.
struct AuthRoutes {
    let services: ServerServices

    func add(to router: some RouterMethods<ChatRequestContext>) {
        router.post("register") { request, context in try await register(request, context) }
        router.post("login") { request, context in try await login(request, context) }
        router.post("logout") { request, context in try await logout(request, context) }
    }

    private func register(_ request: Request, _ context: ChatRequestContext) async throws -> Response {
        var request = request
        let body = try await request.decode(RegisterRequest.self, limit: services.configuration.maxRequestBody)
        if let problem = PasswordHasher.validate(password: body.password) { throw APIError(.badRequest, problem) }
        // Refuse a taken name before paying for a hash; the engine decides for good below.
        if services.core.read({ $0.user(named: body.username) }) != nil { throw APIError(Rejection.usernameTaken) }
        let hash = try await services.passwords.hash(body.password)
        let reply = try await services.require(.register(username: body.username)) { reply in
            guard case .user(let user) = reply else { return [] }
            return [.passwordHash(user.id, hash)]
        }
        guard case .user(let user) = reply else { throw APIError(.internalServerError, "Unexpected reply") }
        return JSONResponse.make(.created, UserBody(user))
    }

    private func login(_ request: Request, _ context: ChatRequestContext) async throws -> Response {
        var request = request
        let body = try await request.decode(LoginRequest.self, limit: services.configuration.maxRequestBody)
        let now = services.clock.now()
        let address = context.clientAddress
        guard !services.loginThrottle.isBlocked(username: body.username, address: address, at: now) else {
            throw APIError(.tooManyRequests, LoginThrottle.blockedMessage)
        }
        let user = services.core.read { $0.user(named: body.username) }
        let hash: String? = if let user {
            try await services.storeRead { () async throws(StoreError) in try await services.store.passwordHash(of: user.id) }
        } else {
            nil
        }
        // An unknown user costs a bcrypt verify too, so both failures look alike.
        guard await services.passwords.verify(body.password, against: hash), let user else {
            services.loginThrottle.recordFailure(username: body.username, address: address, at: now)
            throw APIError(.unauthorized, PasswordHasher.invalidCredentialsMessage)
        }
        services.loginThrottle.recordSuccess(username: body.username, address: address)
        let token = try await services.storeRead { () async throws(StoreError) in try await services.tokens.issue(for: user.id, at: now) }
        return JSONResponse.make(.ok, LoginResponse(token: token, user: UserBody(user)))
    }

    private func logout(_ request: Request, _ context: ChatRequestContext) async throws -> Response {
        _ = try context.requireUser()
        if let token = context.token {
            try await services.storeRead { () async throws(StoreError) in try await services.tokens.revoke(token, at: services.clock.now()) }
        }
        return Response(status: .noContent)
    }
}
