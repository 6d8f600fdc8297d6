import ChatEngine
import ChatProtocol
import ChatService
import Hummingbird

/// `GET /api/messages` (the latest of every room the caller may read) and `POST /api/messages`.
struct MessageRoutes {
    let services: ServerServices

    func add(to router: some RouterMethods<ChatRequestContext>) {
        let chat = services.chat
        let limit = services.configuration.maxRequestBody
        router.get("messages") { request, context in
            let user = try context.requireUser()
            let before = try request.positiveQuery("before").map(MessageID.init)
            return JSONResponse.make(.ok, try await chat.latestMessages(for: user, before: before, limit: try request.pageLimit()))
        }
        router.post("messages") { request, context in
            let user = try context.requireUser()
            var request = request
            let sent = try await chat.send(by: user, try await request.decode(SendMessageRequest.self, limit: limit))
            return JSONResponse.make(sent.isNew ? .created : .ok, sent.message)
        }
    }
}
