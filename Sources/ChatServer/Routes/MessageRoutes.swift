import ChatEngine
import ChatProtocol
import ChatStore
import Hummingbird

/// `GET /api/messages` (the latest of every room the caller may read) and `POST /api/messages`.
struct MessageRoutes {
    let services: ServerServices

    func add(to router: some RouterMethods<ChatRequestContext>) {
        router.get("messages") { request, context in try await latest(request, context) }
        router.post("messages") { request, context in try await send(request, context) }
    }

    private func latest(_ request: Request, _ context: ChatRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let limit = try request.pageLimit()
        let before = try request.positiveQuery("before").map(MessageID.init)
        let rooms = services.core.read { $0.visibleRooms(for: user).map(\.id) }
        let messages = try await services.storeRead { () async throws(StoreError) in
            try await services.store.latestMessages(in: rooms, before: before, limit: limit)
        }
        return JSONResponse.make(.ok, services.core.read { engine in messages.map { engine.body(of: $0) } })
    }

    private func send(_ request: Request, _ context: ChatRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var request = request
        let body = try await request.decode(SendMessageRequest.self, limit: services.configuration.maxRequestBody)
        guard body.roomID >= 1 else { throw APIError(Rejection.unknownRoom) }
        switch try await services.send(by: user, room: RoomID(body.roomID), text: body.message, clientMessageID: body.clientMessageID, via: nil) {
        case .sent(let message): return JSONResponse.make(.created, services.core.read { $0.body(of: message) })
        case .duplicate(let message, _): return JSONResponse.make(.ok, services.core.read { $0.body(of: message) })
        case .refused(let error): throw error
        }
    }
}
