import ChatService
import Hummingbird

/// `GET /api/users`.
struct UserRoutes {
    let services: ServerServices

    func add(to router: some RouterMethods<ChatRequestContext>) {
        let chat = services.chat
        router.get("users") { _, context in
            _ = try context.requireUser()
            return JSONResponse.make(.ok, chat.users())
        }
    }
}
