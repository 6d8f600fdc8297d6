import ChatEngine
import ChatProtocol
import ChatStore
import Hummingbird

/// `/api/rooms…`: listing, creating, members, and a room's history.
struct RoomRoutes {
    let services: ServerServices

    func add(to router: some RouterMethods<ChatRequestContext>) {
        router.get("rooms") { _, context in
            let user = try context.requireUser()
            return JSONResponse.make(.ok, services.core.read { engine in engine.visibleRooms(for: user).map { engine.body(of: $0) } })
        }
        router.post("rooms") { request, context in try await create(request, context) }
        router.post("rooms/with-members") { request, context in try await createWithMembers(request, context) }
        router.post("rooms/{room_id}/members") { request, context in try await addMember(request, context) }
        router.delete("rooms/{room_id}/members/{username}") { _, context in
            let user = try context.requireUser()
            _ = try await services.require(.removeMember(by: user, room: try context.roomID(), username: try context.usernameParameter()))
            return Response(status: .noContent)
        }
        router.patch("rooms/{room_id}/members/{username}") { request, context in try await changeRole(request, context) }
        router.get("rooms/{room_id}/messages") { request, context in try await history(request, context) }
        router.get("rooms/{room_id}/online") { _, context in try online(context) }
    }

    private func create(_ request: Request, _ context: ChatRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var request = request
        let body = try await request.decode(CreateRoomRequest.self, limit: services.configuration.maxRequestBody)
        let command: Command = switch body.roomKind {
        case .public?: .createPublicRoom(by: user, name: body.name)
        case .group?: .createGroup(by: user, name: body.name, members: [])
        case .private?, nil: throw APIError(.badRequest, CreateRoomRequest.invalidKindMessage)
        }
        return try await roomResponse(.created, services.require(command))
    }

    private func createWithMembers(_ request: Request, _ context: ChatRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var request = request
        let body = try await request.decode(CreateRoomWithMembersRequest.self, limit: services.configuration.maxRequestBody)
        switch try await services.execute(.createGroup(by: user, name: body.name, members: body.members)) {
        case .success(let reply): return try roomResponse(.created, reply)
        // The contract answers unknown members of a new group with 400, naming each.
        case .failure(let rejection) where rejection.isUnknownUsers: throw APIError(.badRequest, rejection.message)
        case .failure(let rejection): throw APIError(rejection)
        }
    }

    private func addMember(_ request: Request, _ context: ChatRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let room = try context.roomID()
        var request = request
        let body = try await request.decode(AddMemberRequest.self, limit: services.configuration.maxRequestBody)
        return try await roomResponse(.created, services.require(.addMember(by: user, room: room, username: body.username)))
    }

    private func changeRole(_ request: Request, _ context: ChatRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let room = try context.roomID()
        let username = try context.usernameParameter()
        var request = request
        let body = try await request.decode(ChangeRoleRequest.self, limit: services.configuration.maxRequestBody)
        guard let role = body.engineRole else { throw APIError(Rejection.invalidRole) }
        return try await roomResponse(.ok, services.require(.changeRole(by: user, room: room, username: username, role: role)))
    }

    /// `?limit=&before=` (a seq; the latest page before it) or `?after=` (a seq; resume after it).
    private func history(_ request: Request, _ context: ChatRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let room = try context.roomID()
        let limit = try request.pageLimit()
        let before = try request.positiveQuery("before")
        let after = try request.nonNegativeQuery("after")
        if before != nil, after != nil { throw APIError(.badRequest, "before and after cannot be combined") }
        let access: Rejection? = services.core.read { engine in
            guard engine.room(room) != nil else { return .unknownRoom }
            return engine.mayRead(user, room: room) ? nil : .notMember
        }
        if let access { throw APIError(access) }
        let messages = try await services.storeRead { () async throws(StoreError) in
            if let after {
                try await services.store.messages(in: room, after: after, limit: limit)
            } else {
                try await services.store.messages(in: room, before: before, limit: limit)
            }
        }
        return JSONResponse.make(.ok, services.core.read { engine in messages.map { engine.body(of: $0) } })
    }

    /// The users with at least one socket in the room (presence counts users, not tabs).
    private func online(_ context: ChatRequestContext) throws -> Response {
        let user = try context.requireUser()
        let room = try context.roomID()
        let users: Result<[UserBody], Rejection> = services.core.read { engine in
            guard engine.room(room) != nil else { return .failure(.unknownRoom) }
            guard engine.mayRead(user, room: room) else { return .failure(.notMember) }
            return .success(engine.onlineUsers(in: room).compactMap { engine.user($0).map(UserBody.init) })
        }
        switch users {
        case .success(let users): return JSONResponse.make(.ok, users)
        case .failure(let rejection): throw APIError(rejection)
        }
    }

    private func roomResponse(_ status: HTTPResponse.Status, _ reply: Reply) throws -> Response {
        guard case .room(let room) = reply else { throw APIError(.internalServerError, "Unexpected reply") }
        return JSONResponse.make(status, services.core.read { $0.body(of: room) })
    }
}

extension Rejection {
    /// Whether this names unknown usernames.
    var isUnknownUsers: Bool {
        if case .unknownUsers = self { return true }
        return false
    }
}
