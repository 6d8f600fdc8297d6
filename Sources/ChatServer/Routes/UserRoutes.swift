import ChatProtocol
import Hummingbird

/// `GET /api/users`.
struct UserRoutes {
    let services: ServerServices

    func add(to router: some RouterMethods<ChatRequestContext>) {
        router.get("users") { _, context in
            _ = try context.requireUser()
            let users = services.core.read { $0.allUsers.map(UserBody.init) }
            return JSONResponse.make(.ok, users)
        }
    }
}
