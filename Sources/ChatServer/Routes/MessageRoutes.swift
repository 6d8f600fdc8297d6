import ChatEngine
import ChatProtocol
import ChatService
import Hummingbird

/// `GET /api/messages` (the latest of every room the caller may read), `POST /api/messages`,
/// and a message's edit (`PATCH /api/messages/{id}`) and deletion (`DELETE`).
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
        router.patch("messages/{message_id}") { request, context in
            let user = try context.requireUser()
            let id = try context.messageID()
            var request = request
            let edited = try await chat.editMessage(id, text: try await request.decode(EditMessageRequest.self, limit: limit).message, by: user)
            return JSONResponse.make(.ok, chat.body(of: edited))
        }
        router.delete("messages/{message_id}") { _, context in
            _ = try await chat.deleteMessage(try context.messageID(), by: try context.requireUser())
            return Response(status: .noContent)
        }
    }
}
