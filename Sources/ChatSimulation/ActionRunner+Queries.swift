import ChatEngine

/// The queries the server asks the engine, compared with the model's answers: after each
/// command for what it touched, in sweeps for much more, and in full after a restart.
extension ActionRunner {
    /// The queries about what `command` changed: always the next typing deadline; then, for an
    /// accepted command, its room's members and sessions, or its messages and pages, or a read
    /// marker; the visible rooms of the users whose rooms it changed (while there are at most
    /// ``roomsListedEveryStep`` rooms; sweeps list more); its session's rooms. A refused command
    /// changes nothing.
    func checkQueries(after command: Command, _ result: Result<Reply, Rejection>, closing: [RoomID], number: Int) -> Violation? {
        guard let engine else { return nil }
        if let violation = compare("nextDeadline", engine.nextDeadline, model.nextDeadline, number: number) { return violation }
        guard case .success(let reply) = result else { return nil }
        var membership = closing
        var messages: [(room: RoomID, reader: UserID)] = []
        var users: [UserID] = []
        var session: SessionID?
        switch command {
        case .register:
            if case .user(let user) = reply { users = [user.id] }
        case .openSession(let id, _), .closeSession(let id):
            session = id
        case .createPublicRoom, .createGroup, .openPrivateRoom, .subscribe:
            if case .room(let room) = reply { membership.append(room.id) }
            if case .subscribe(let id, _) = command { session = id }
            if case .createGroup(let owner, _, let members) = command { users = [owner] + members.compactMap(model.userID(named:)) }
            if case .openPrivateRoom = command, case .room(let room) = reply, let pair = room.pair { users = [pair.first, pair.second] }
        case .unsubscribe(let id, let room):
            (session, membership) = (id, [room])
        case .addMember(_, let room, let username), .removeMember(_, let room, let username):
            membership = [room]
            users = [model.userID(named: username)].compactMap { $0 }
        case .changeRole(_, let room, _, _):
            membership = [room]
        case .send(let user, let room, _, _, _):
            if case .sent = reply { messages = [(room, user)] }
        case .edit(let user, let message, _), .delete(let user, let message):
            messages = [(message.room, user)]
        case .markRead(let user, let room, _, _):
            return compare("readSeq(of: \(user), in: \(room))", engine.readSeq(of: user, in: room), model.readSeq(of: user, in: room), number: number)
        case .typing, .tick:
            break
        }
        for room in membership where model.exists(room) {
            if let violation = checkMembership(of: room, number: number, as: .queriesMatchModel) { return violation }
        }
        for (room, reader) in messages {
            if let violation = checkMessages(of: room, reader: reader, number: number, as: .queriesMatchModel) { return violation }
        }
        for user in users where model.rooms.count <= Self.roomsListedEveryStep {
            if let violation = checkVisibleRooms(of: user, number: number, as: .queriesMatchModel) { return violation }
        }
        if let session, let violation = checkSession(session, number: number, as: .queriesMatchModel) { return violation }
        return nil
    }

    /// Compares many queries: every session, the next 256 rooms in turn with their read markers,
    /// and the next 8 users' visible rooms in turn (every room, and 64 users, when `full`).
    mutating func sweep(number: Int, full: Bool, as invariant: Invariant) -> Violation? {
        guard let engine else { return nil }
        sweeps += 1
        if let violation = compare("allUsers", engine.allUsers, model.users, number: number, as: invariant)
            ?? compare("nextDeadline", engine.nextDeadline, model.nextDeadline, number: number, as: invariant) {
            return violation
        }
        let roomBatch = 256
        let rooms = full || model.rooms.count <= roomBatch ? Array(model.rooms.indices) : (0..<roomBatch).map { (sweeps * roomBatch + $0) % model.rooms.count }
        for record in rooms.map({ model.rooms[$0] }) {
            if let violation = checkRoom(record.room.id, number: number, as: invariant) { return violation }
            if record.room.kind != .private,
               let violation = compare("room(named: \(record.room.name.shown))", engine.room(named: record.room.name), model.room(named: record.room.name), number: number, as: invariant) {
                return violation
            }
            for (user, seq) in (model.readMarkers[record.room.id] ?? [:]).sorted(by: { $0.key < $1.key }) {
                // A marker shows in the rooms its user still sees.
                let listed: Observation = model.mayRead(user, room: record.room.id) ? .inListings : .nowhere
                if let violation = compare("readSeq(of: \(user), in: \(record.room.id))", engine.readSeq(of: user, in: record.room.id), seq, number: number, as: invariant, seen: listed) {
                    return violation
                }
            }
        }
        for session in model.sessions.keys.sorted() {
            if let violation = checkSession(session, number: number, as: invariant) { return violation }
        }
        let userBatch = full ? 64 : 8
        let users = model.users.count <= userBatch ? Array(model.users.indices) : (0..<userBatch).map { (sweeps * userBatch + $0) % model.users.count }
        for index in users {
            if let violation = checkUser(model.users[index].id, number: number, as: invariant) { return violation }
        }
        return nil
    }

    /// A room's state as the server reads it, and the latest messages as a reader pages them.
    private func checkRoom(_ room: RoomID, number: Int, as invariant: Invariant) -> Violation? {
        let record = model.record(room)
        if let violation = checkMembership(of: room, number: number, as: invariant) { return violation }
        guard let reader = record.room.kind == .public ? model.users.first?.id : record.members.first?.user else { return nil }
        return checkMessages(of: room, reader: reader, number: number, as: invariant)
    }

    /// A room, its members, who is online and which sessions are subscribed.
    private func checkMembership(of room: RoomID, number: Int, as invariant: Invariant) -> Violation? {
        guard let engine else { return nil }
        let record = model.record(room)
        // Nobody lists an archived room; a group's body lists its roles, no body when members joined.
        let listed: Observation? = record.room.isArchived ? .nowhere : nil
        let rolesListed: Observation = record.room.kind == .group && !record.room.isArchived ? .inListings : .nowhere
        return compare("room(\(room))", engine.room(room), record.room, number: number, as: invariant)
            ?? compare("members(of: \(room))", engine.members(of: room).map(\.user), model.members(of: room).map(\.user), number: number, as: invariant, seen: listed)
            ?? compare("members(of: \(room)), their roles", engine.members(of: room).map(\.role), model.members(of: room).map(\.role), number: number, as: invariant, seen: rolesListed)
            ?? compare("members(of: \(room)) with roles", engine.members(of: room), model.members(of: room), number: number, as: invariant, seen: .nowhere)
            ?? compare("onlineUsers(in: \(room))", engine.onlineUsers(in: room), model.onlineUsers(in: room), number: number, as: invariant, seen: listed)
            ?? compare("subscribers(of: \(room))", engine.subscribers(of: room), model.subscribers(of: room), number: number, as: invariant)
    }

    /// A room's last seq, the latest page and a page after a seq as `reader` reads them, and its newest message.
    private func checkMessages(of room: RoomID, reader: UserID, number: Int, as invariant: Invariant) -> Violation? {
        guard let engine else { return nil }
        let record = model.record(room)
        let listed: Observation? = record.room.isArchived ? .nowhere : nil
        let window = configuration.recentMessagesPerRoom
        if let violation = compare("lastSeq(of: \(room))", engine.lastSeq(of: room), record.lastSeq, number: number, as: invariant, seen: listed)
            ?? compare(
                "messages(in: \(room), for: \(reader), before: nil, limit: \(window + 1))", engine.page(in: room, for: reader, before: nil, limit: window + 1),
                model.messages(in: room, for: reader, before: nil, limit: window + 1), number: number, as: invariant
            )
            ?? compare(
                "messages(in: \(room), for: \(reader), after: \(record.lastSeq - 3), limit: 2)", engine.page(in: room, for: reader, after: record.lastSeq - 3, limit: 2),
                model.messages(in: room, for: reader, after: record.lastSeq - 3, limit: 2), number: number, as: invariant
            ) {
            return violation
        }
        guard let newest = record.messages.last else { return nil }
        return compare("recentMessage(\(newest.id), in: \(room))", engine.recentMessage(newest.id, in: room), model.recentMessage(newest.id, in: room), number: number, as: invariant)
    }

    /// Up to this many rooms, the visible rooms of the users a command changed are listed after it.
    static var roomsListedEveryStep: Int { 500 }

    /// The rooms listed for a user.
    private func checkVisibleRooms(of user: UserID, number: Int, as invariant: Invariant) -> Violation? {
        guard let engine else { return nil }
        return compare("visibleRooms(for: \(naming.user(user)))", engine.visibleRooms(for: user), model.visibleRooms(for: user), number: number, as: invariant)
    }

    /// What the server reads about a user: the rooms listed for them, each readable.
    private func checkUser(_ user: UserID, number: Int, as invariant: Invariant) -> Violation? {
        guard let engine else { return nil }
        if let violation = checkVisibleRooms(of: user, number: number, as: invariant) { return violation }
        for room in model.visibleRooms(for: user) {
            if let violation = compare("mayRead(\(user), room: \(room.id))", engine.mayRead(user, room: room.id), true, number: number, as: invariant) { return violation }
        }
        return nil
    }

    /// A session's user and rooms.
    private func checkSession(_ session: SessionID, number: Int, as invariant: Invariant) -> Violation? {
        guard let engine else { return nil }
        return compare("sessionUser(\(naming.session(session)))", engine.sessionUser(session), model.sessions[session]?.user, number: number, as: invariant)
            ?? compare("rooms(of: \(naming.session(session)))", engine.rooms(of: session), model.sessions[session]?.rooms ?? [], number: number, as: invariant)
    }

    /// Nil when the engine's answer is the model's, else the violation naming the query.
    /// `seen` overrides where a client sees the answer.
    func compare<T: Equatable>(
        _ query: @autoclosure () -> String, _ actual: T, _ expected: T, number: Int, as invariant: Invariant = .queriesMatchModel, seen: Observation? = nil
    ) -> Violation? {
        guard actual != expected else { return nil }
        let query = query()
        return reportable(Violation(invariant, step: number, "\(query): expected \(expected), got \(actual)", observation: seen ?? Self.observation(of: query)))
    }

    /// Where a client sees the answer of the query named first in `query`: the server lists
    /// rooms, members, read state and who is online; a subscription carries pages; answers
    /// carry who may read and why a send is refused; typing shows the next deadline. The rest
    /// the server asks for its own bookkeeping.
    private static func observation(of query: String) -> Observation {
        let name = query.prefix { $0 != "(" }
        switch name {
        case "visibleRooms", "members", "lastSeq", "readSeq", "onlineUsers": return .inListings
        case "messages": return .inPages
        case "readRejection", "sendRejection": return .inFrames
        case "nextDeadline": return .inTiming
        default: return .nowhere
        }
    }
}

extension ChatEngine {
    /// `messages(in:for:after:limit:)`, its rejection as a value.
    func page(in room: RoomID, for reader: UserID, after seq: Int64, limit: Int) -> Result<MessagePage, Rejection> {
        do throws(Rejection) {
            return .success(try messages(in: room, for: reader, after: seq, limit: limit))
        } catch {
            return .failure(error)
        }
    }

    /// `messages(in:for:before:limit:)`, its rejection as a value.
    func page(in room: RoomID, for reader: UserID, before seq: Int64?, limit: Int) -> Result<MessagePage, Rejection> {
        do throws(Rejection) {
            return .success(try messages(in: room, for: reader, before: seq, limit: limit))
        } catch {
            return .failure(error)
        }
    }
}
