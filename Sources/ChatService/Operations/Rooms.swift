import ChatEngine
import ChatProtocol
import ChatStore

/// Rooms: listing, creating, members and roles, who is online.
extension ChatService {
    /// Every public room, and the group and private rooms `user` belongs to, each with the
    /// user's read state: the room's last seq, the user's read marker, and the unread count
    /// (messages after the marker that others sent and did not delete, counted by the store).
    public func rooms(visibleTo user: UserID) async throws(ServiceError) -> [RoomBody] {
        let rooms = read { engine in
            engine.visibleRooms(for: user).map { room in
                var body = engine.body(of: room)
                body.lastSeq = engine.lastSeq(of: room.id)
                body.readSeq = engine.readSeq(of: user, in: room.id)
                return body
            }
        }
        // Rooms read to their end need no count.
        let behind = rooms.filter { $0.readSeq! < $0.lastSeq! }
        #if DEBUG
        // The planted mistake: counting for nobody, so the reader's own messages count too.
        let counted = configuration.isPlanted(.unreadCountsOwnMessages) ? UserID(0) : user
        #else
        let counted = user
        #endif
        let counts = try await storeRead { () async throws(StoreError) in
            try await store.unreadCounts(of: counted, after: behind.map { (RoomID($0.id), $0.readSeq!) })
        }
        let unread = Dictionary(uniqueKeysWithValues: zip(behind.map(\.id), counts))
        return rooms.map { room in
            var room = room
            room.unread = unread[room.id] ?? 0
            return room
        }
    }

    /// A public room, or a group whose first member is its creator.
    public func createRoom(by user: UserID, _ request: CreateRoomRequest) async throws(ServiceError) -> RoomBody {
        let command: Command = switch request.roomKind {
        case .public?: .createPublicRoom(by: user, name: request.name)
        case .group?: .createGroup(by: user, name: request.name, members: [])
        case .private?, nil: throw ServiceError(status: 400, CreateRoomRequest.invalidKindMessage)
        }
        return try roomBody(try await require(command))
    }

    /// A group of `user` and the listed members; unknown members are a 400 naming each.
    public func createGroup(by user: UserID, _ request: CreateRoomWithMembersRequest) async throws(ServiceError) -> RoomBody {
        switch try await execute(.createGroup(by: user, name: request.name, members: request.members)) {
        case .success(let reply): return try roomBody(reply)
        // The contract answers unknown members of a new group with 400, naming each.
        case .failure(let rejection) where rejection.isUnknownUsers: throw ServiceError(status: 400, rejection.message)
        case .failure(let rejection): throw ServiceError(rejection)
        }
    }

    /// The private room of `user` and the named user, opened (created on first use) as the seed's
    /// `/ws/private/<username>/` socket path does; both users' v1 sockets are told of a new one.
    public func openPrivateRoom(by user: UserID, _ request: AddMemberRequest) async throws(ServiceError) -> RoomBody {
        try roomBody(try await require(.openPrivateRoom(by: user, with: request.username)))
    }

    /// Adds a member (owners and admins).
    public func addMember(by user: UserID, room: RoomID, _ request: AddMemberRequest) async throws(ServiceError) -> RoomBody {
        try roomBody(try await require(.addMember(by: user, room: room, username: request.username)))
    }

    /// Removes a member (owners, admins for plain members, or the member themself).
    public func removeMember(by user: UserID, room: RoomID, username: String) async throws(ServiceError) {
        _ = try await require(.removeMember(by: user, room: room, username: username))
    }

    /// Changes a member's role (the owner). A name that is no role is refused here; everything
    /// else, `owner` included, is the engine's to judge, in its order.
    public func changeRole(by user: UserID, room: RoomID, username: String, _ request: ChangeRoleRequest) async throws(ServiceError) -> RoomBody {
        guard let role = request.engineRole else { throw ServiceError(Rejection.invalidRole) }
        return try roomBody(try await require(.changeRole(by: user, room: room, username: username, role: role)))
    }

    /// The users with at least one socket in the room (users, not tabs); readers of the room only.
    public func online(in room: RoomID, for user: UserID) throws(ServiceError) -> [UserBody] {
        let users: Result<[UserBody], Rejection> = read { engine in
            if let refusal = engine.readRejection(of: room, by: user) { return .failure(refusal) }
            return .success(engine.onlineUsers(in: room).compactMap { engine.user($0).map(UserBody.init) })
        }
        return try users.mapError(ServiceError.init).get()
    }

    private func roomBody(_ reply: Reply) throws(ServiceError) -> RoomBody {
        guard case .room(let room) = reply else { throw .unexpectedReply }
        return read { $0.body(of: room) }
    }
}

extension Rejection {
    /// Whether this names unknown usernames.
    var isUnknownUsers: Bool {
        if case .unknownUsers = self { return true }
        return false
    }
}
