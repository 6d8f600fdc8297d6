import ChatProtocol
import ChatService
import Hummingbird

/// `POST /api/register`, `/api/login`, `/api/logout`.
struct AuthRoutes {
    let services: ServerServices

    func add(to router: some RouterMethods<ChatRequestContext>) {
        let chat = services.chat
        let limit = services.configuration.maxRequestBody
        router.post("register") { request, _ in
            var request = request
            return JSONResponse.make(.created, try await chat.register(try await request.decode(RegisterRequest.self, limit: limit)))
        }
        router.post("login") { request, context in
            var request = request
            return JSONResponse.make(.ok, try await chat.login(try await request.decode(LoginRequest.self, limit: limit), from: context.clientAddress))
        }
        router.post("logout") { _, context in
            _ = try context.requireUser()
            if let token = context.token { try await chat.logout(token: token) }
            return Response(status: .noContent)
        }
    }
}
