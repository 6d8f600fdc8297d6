import ChatProtocol
import ChatService
import Hummingbird

/// `/api/rooms…`: listing, creating, members, and a room's history and presence.
struct RoomRoutes {
    let services: ServerServices

    func add(to router: some RouterMethods<ChatRequestContext>) {
        let chat = services.chat
        let limit = services.configuration.maxRequestBody
        router.get("rooms") { _, context in
            JSONResponse.make(.ok, try await chat.rooms(visibleTo: try context.requireUser()))
        }
        router.post("rooms") { request, context in
            let user = try context.requireUser()
            var request = request
            return JSONResponse.make(.created, try await chat.createRoom(by: user, try await request.decode(CreateRoomRequest.self, limit: limit)))
        }
        router.post("rooms/with-members") { request, context in
            let user = try context.requireUser()
            var request = request
            return JSONResponse.make(.created, try await chat.createGroup(by: user, try await request.decode(CreateRoomWithMembersRequest.self, limit: limit)))
        }
        router.post("rooms/private") { request, context in
            let user = try context.requireUser()
            var request = request
            return JSONResponse.make(.ok, try await chat.openPrivateRoom(by: user, try await request.decode(AddMemberRequest.self, limit: limit)))
        }
        router.post("rooms/{room_id}/members") { request, context in
            let user = try context.requireUser()
            let room = try context.roomID()
            var request = request
            return JSONResponse.make(.created, try await chat.addMember(by: user, room: room, try await request.decode(AddMemberRequest.self, limit: limit)))
        }
        router.delete("rooms/{room_id}/members/{username}") { _, context in
            try await chat.removeMember(by: try context.requireUser(), room: try context.roomID(), username: try context.usernameParameter())
            return Response(status: .noContent)
        }
        router.patch("rooms/{room_id}/members/{username}") { request, context in
            let user = try context.requireUser()
            let (room, username) = (try context.roomID(), try context.usernameParameter())
            var request = request
            let body = try await request.decode(ChangeRoleRequest.self, limit: limit)
            return JSONResponse.make(.ok, try await chat.changeRole(by: user, room: room, username: username, body))
        }
        // `?limit=&before=` (a seq; the latest page before it) or `?after=` (a seq; resume after it).
        router.get("rooms/{room_id}/messages") { request, context in
            let user = try context.requireUser()
            let room = try context.roomID()
            let limit = try request.pageLimit()
            let before = try request.positiveQuery("before")
            let after = try request.nonNegativeQuery("after")
            if before != nil, after != nil { throw APIError(.badRequest, "before and after cannot be combined") }
            let page: ChatService.HistoryPage = after.map { .after($0, limit: limit) } ?? .before(before, limit: limit)
            return JSONResponse.make(.ok, try await chat.history(of: room, for: user, page))
        }
        router.post("rooms/{room_id}/read") { request, context in
            let user = try context.requireUser()
            let room = try context.roomID()
            var request = request
            try await chat.markRead(room, seq: try await request.decode(ReadMarkerRequest.self, limit: limit).seq, by: user)
            return Response(status: .noContent)
        }
        router.get("rooms/{room_id}/online") { _, context in
            JSONResponse.make(.ok, try chat.online(in: try context.roomID(), for: try context.requireUser()))
        }
    }
}
