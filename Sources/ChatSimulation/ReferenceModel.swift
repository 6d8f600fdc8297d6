import ChatEngine

/// The chat rules of `docs/engine.md`, restated independently and deliberately simply, to
/// check the engine against.
///
/// It never calls ``ChatEngine`` and shares none of its internals: plain arrays and
/// dictionaries, linear searches over a room's members and subscribers, and every check
/// written out in the documented order. It uses the engine's public value types (``User``,
/// ``Room``, ``Message``, ``Payload``, ``Rejection``) only so that its predictions compare
/// directly with outcomes.
///
/// It predicts each command's result and the deliveries of `.message`, `.typing`, `.presence`,
/// `.unsubscribed`, `.edited`, `.deleted` and `.readMarker` payloads. Not modelled: `.membership`,
/// `.joined` and `.left` deliveries and facts (a fact's effect shows in later results and deliveries).
struct ReferenceModel {
    /// A room and everything about it the rules need.
    struct RoomRecord {
        var room: Room
        /// Group and private rooms: members in the order they joined.
        var members: [Member] = []
        /// Subscribed sessions, ascending.
        var subscribers: [SessionID] = []
        var lastSeq: Int64 = 0
        /// The latest messages, oldest first (their client message ids are still recognised).
        var window: [Message] = []
    }

    /// An open session.
    struct SessionRecord {
        let user: UserID
        /// Rooms it is subscribed to, ascending.
        var rooms: [RoomID] = []
    }

    /// A user typing in a room until `deadline`.
    struct Typing {
        let room: RoomID
        let user: UserID
        var deadline: Instant
    }

    /// A sender's own id for a message.
    struct ClientKey: Hashable {
        let sender: UserID
        let id: String
    }

    let configuration: ChatConfiguration
    /// Users by id (index = id - 1).
    private(set) var users: [User] = []
    /// Each user's group and private rooms (index = id - 1), in the order they joined.
    private(set) var roomsOfUser: [[RoomID]] = []
    private var userIDByLowercasedName: [String: UserID] = [:]
    /// Rooms by id (index = id - 1).
    private(set) var rooms: [RoomRecord] = []
    private var roomIDByName: [String: RoomID] = [:]
    private var privateRoomIDs: [UserPair: RoomID] = [:]
    private(set) var sessions: [SessionID: SessionRecord] = [:]
    private var typing: [Typing] = []
    private var lastMessageID: Int64 = 0
    private var clientMessages: [ClientKey: Message] = [:]
    /// Read markers: (room, user) → seq.
    private var readMarkers: [RoomID: [UserID: Int64]] = [:]

    init(configuration: ChatConfiguration) {
        self.configuration = configuration
    }

    /// Users with at least one subscribed session in the room, ascending.
    func onlineUsers(in id: RoomID) -> [UserID] {
        guard id.rawValue >= 1, id.rawValue <= rooms.count else { return [] }
        let online = Set(rooms[Int(id.rawValue) - 1].subscribers.map { sessions[$0]!.user })
        return online.sorted()
    }

    /// The record of room `id`, which must exist.
    func record(_ id: RoomID) -> RoomRecord { rooms[Int(id.rawValue) - 1] }

    /// Applies a command at `now` and predicts what the engine answers and delivers.
    mutating func apply(_ command: Command, at now: Instant) -> Prediction {
        var deliveries: [Delivery] = []
        expireTyping(upTo: now, into: &deliveries)
        let kept = deliveries.count
        do throws(Rejection) {
            let reply = try perform(command, at: now, into: &deliveries)
            return Prediction(result: .success(reply), deliveries: deliveries)
        } catch {
            // Every command validates before it changes anything, so nothing needs undoing.
            precondition(deliveries.count == kept, "the model delivered before rejecting")
            return Prediction(result: .failure(error), deliveries: deliveries)
        }
    }

    private mutating func perform(_ command: Command, at now: Instant, into deliveries: inout [Delivery]) throws(Rejection) -> Reply {
        switch command {
        case .register(let username):
            return .user(try register(username, at: now))
        case .openSession(let session, let user):
            _ = try existingUser(user)
            guard sessions[session] == nil else { throw .sessionAlreadyOpen }
            sessions[session] = SessionRecord(user: user)
            return .done
        case .closeSession(let session):
            guard let record = sessions[session] else { throw .unknownSession }
            for room in record.rooms {
                leave(session, room: room, into: &deliveries)
            }
            sessions[session] = nil
            return .done
        case .createPublicRoom(let user, let name):
            _ = try existingUser(user)
            return .room(try createPublicRoom(by: user, name: name, at: now))
        case .createGroup(let owner, let name, let members):
            return .room(try createGroup(by: owner, name: name, members: members, at: now))
        case .openPrivateRoom(let user, let other):
            _ = try existingUser(user)
            return .room(try openPrivateRoom(user, with: other, at: now))
        case .subscribe(let session, let address):
            return .room(try subscribe(session, to: address, at: now, into: &deliveries))
        case .unsubscribe(let session, let room):
            guard let record = sessions[session] else { throw .unknownSession }
            guard room.rawValue >= 1, room.rawValue <= rooms.count else { throw .unknownRoom }
            guard record.rooms.contains(room) else { throw .notSubscribed }
            leave(session, room: room, into: &deliveries)
            return .done
        case .addMember(let actor, let room, let username):
            return .room(try addMember(by: actor, room: room, username: username, at: now))
        case .removeMember(let actor, let room, let username):
            try removeMember(by: actor, room: room, username: username, into: &deliveries)
            return .done
        case .changeRole(let actor, let room, let username, let role):
            return .room(try changeRole(by: actor, room: room, username: username, role: role))
        case .send(let sender, let room, let text, let clientMessageID, let via):
            return try send(by: sender, room: room, text: text, clientMessageID: clientMessageID, via: via, at: now, into: &deliveries)
        case .typing(let user, let room, let isTyping):
            _ = try existingUser(user)
            let record = try activeRoom(room)
            guard mayRead(user, record) else { throw .notMember }
            if !isTyping {
                stopTyping(user, room: room, into: &deliveries)
            } else if let index = typing.firstIndex(where: { $0.room == room && $0.user == user }) {
                typing[index].deadline = now.advanced(by: configuration.typingTimeout)
            } else {
                typing.append(Typing(room: room, user: user, deadline: now.advanced(by: configuration.typingTimeout)))
                deliver(.typing(room, user, isTyping: true), to: subscribers(of: room, except: user), into: &deliveries)
            }
            return .done
        case .markRead(let user, let room, let seq, let via):
            try markRead(by: user, room: room, seq: seq, via: via, into: &deliveries)
            return .done
        case .edit(let user, let stored, let text):
            let current = try currentMessage(stored, by: user)
            guard current.sender == user else { throw .notAuthor }
            guard !text.allSatisfy(\.isWhitespace) else { throw .emptyMessage }
            guard text.count <= configuration.maxMessageLength else { throw .messageTooLong(limit: configuration.maxMessageLength) }
            let edited = current.edited(to: text, at: now)
            replaceInWindow(edited)
            deliver(.edited(edited), to: record(edited.room).subscribers, into: &deliveries)
            return .message(edited)
        case .delete(let user, let stored):
            let current = try currentMessage(stored, by: user)
            if current.sender != user {
                let role = record(current.room).members.first { $0.user == user }?.role
                guard record(current.room).room.kind == .group, role == .owner || role == .admin else { throw .notAuthorOrModerator }
            }
            let deleted = current.deleted
            replaceInWindow(deleted)
            deliver(.deleted(deleted), to: record(deleted.room).subscribers, into: &deliveries)
            return .message(deleted)
        case .tick:
            return .done
        }
    }

    // MARK: Read markers, edits and deletions

    private mutating func markRead(by user: UserID, room id: RoomID, seq: Int64, via: SessionID?, into deliveries: inout [Delivery]) throws(Rejection) {
        _ = try existingUser(user)
        let room = try activeRoom(id)
        guard mayRead(user, room) else { throw .notMember }
        if let via {
            guard let session = sessions[via] else { throw .unknownSession }
            guard session.user == user else { throw .sessionOfAnotherUser }
        }
        guard seq >= 0, seq <= room.lastSeq else { throw .invalidReadSeq(last: room.lastSeq) }
        guard seq > readMarkers[id]?[user] ?? 0 else { return }
        readMarkers[id, default: [:]][user] = seq
        let others = sessions.filter { $0.value.user == user && $0.key != via }.keys.sorted()
        deliver(.readMarker(id, seq: seq), to: others, into: &deliveries)
    }

    /// The message an edit or a delete acts on, as it now is: the window's copy when the window
    /// holds its seq (under another id it does not exist), else the caller's.
    private func currentMessage(_ stored: Message, by user: UserID) throws(Rejection) -> Message {
        _ = try existingUser(user)
        guard stored.room.rawValue >= 1, stored.room.rawValue <= rooms.count else { throw .unknownMessage }
        let room = record(stored.room)
        guard stored.id.rawValue <= lastMessageID, stored.seq <= room.lastSeq, mayRead(user, room) else { throw .unknownMessage }
        guard !room.room.isArchived else { throw .roomArchived }
        var current = stored
        if let held = room.window.first(where: { $0.seq == stored.seq }) {
            guard held.id == stored.id else { throw .unknownMessage }
            current = held
        }
        guard !current.isDeleted else { throw .messageDeleted }
        return current
    }

    private mutating func replaceInWindow(_ message: Message) {
        guard let position = record(message.room).window.firstIndex(where: { $0.id == message.id }) else { return }
        rooms[index(message.room)].window[position] = message
        if let id = message.clientMessageID { clientMessages[ClientKey(sender: message.sender, id: id)] = message }
    }

    // MARK: Users and rooms

    private mutating func register(_ username: String, at now: Instant) throws(Rejection) -> User {
        let allowed = username.allSatisfy { $0.isLetter || $0.isNumber || "@.+-_".contains($0) }
        guard (1...150).contains(username.count), allowed else { throw .invalidUsername }
        guard userIDByLowercasedName[username.lowercased()] == nil else { throw .usernameTaken }
        let user = User(id: UserID(Int64(users.count + 1)), username: username, registeredAt: now)
        users.append(user)
        roomsOfUser.append([])
        userIDByLowercasedName[username.lowercased()] = user.id
        return user
    }

    private mutating func createPublicRoom(by user: UserID, name: String, at now: Instant) throws(Rejection) -> Room {
        try checkNewRoomName(name)
        let room = Room(id: nextRoomID, kind: .public, name: name, createdBy: user, createdAt: now, pair: nil)
        rooms.append(RoomRecord(room: room))
        roomIDByName[name] = room.id
        return room
    }

    private mutating func createGroup(by owner: UserID, name: String, members usernames: [String], at now: Instant) throws(Rejection) -> Room {
        _ = try existingUser(owner)
        try checkNewRoomName(name)
        var memberIDs = [owner]
        var unknown: [String] = []
        for username in usernames {
            if let id = userIDByLowercasedName[username.lowercased()] {
                if !memberIDs.contains(id) { memberIDs.append(id) }
            } else if !unknown.contains(username) {
                unknown.append(username)
            }
        }
        guard unknown.isEmpty else { throw .unknownUsers(unknown) }
        let room = Room(id: nextRoomID, kind: .group, name: name, createdBy: owner, createdAt: now, pair: nil)
        var record = RoomRecord(room: room)
        for id in memberIDs {
            record.members.append(Member(user: id, role: id == owner ? .owner : .member, joinedAt: now))
            roomsOfUser[index(id)].append(room.id)
        }
        rooms.append(record)
        roomIDByName[name] = room.id
        return room
    }

    private mutating func openPrivateRoom(_ user: UserID, with username: String, at now: Instant) throws(Rejection) -> Room {
        let other = try existingUser(named: username)
        guard let pair = UserPair(user, other.id) else { throw .cannotChatWithYourself }
        if let existing = privateRoomIDs[pair] { return record(existing).room }
        let name = "\(users[index(pair.first)].username), \(users[index(pair.second)].username)"
        let room = Room(id: nextRoomID, kind: .private, name: name, createdBy: user, createdAt: now, pair: pair)
        var record = RoomRecord(room: room)
        for id in [pair.first, pair.second] {
            record.members.append(Member(user: id, role: .member, joinedAt: now))
            roomsOfUser[index(id)].append(room.id)
        }
        rooms.append(record)
        privateRoomIDs[pair] = room.id
        return room
    }

    // MARK: Sessions in rooms

    private mutating func subscribe(_ session: SessionID, to address: RoomAddress, at now: Instant, into deliveries: inout [Delivery]) throws(Rejection) -> Room {
        guard let user = sessions[session]?.user else { throw .unknownSession }
        let id: RoomID
        switch address {
        case .id(let room):
            id = room
        case .named(let name):
            if let existing = roomIDByName[name] {
                id = existing
            } else {
                id = try createPublicRoom(by: user, name: name, at: now).id
            }
        case .group(let name):
            guard let existing = roomIDByName[name], record(existing).room.kind == .group else { throw .unknownRoom }
            id = existing
        case .privateWith(let username):
            id = try openPrivateRoom(user, with: username, at: now).id
        }
        let room = try activeRoom(id)
        guard mayRead(user, room) else { throw .notMember }
        guard !room.subscribers.contains(session) else { throw .alreadySubscribed }

        let wasOnline = room.subscribers.contains { sessions[$0]!.user == user }
        rooms[index(id)].subscribers.append(session)
        rooms[index(id)].subscribers.sort()
        sessions[session]!.rooms.append(id)
        sessions[session]!.rooms.sort()
        if !wasOnline {
            deliver(.presence(id, user, isOnline: true), to: subscribers(of: id, except: user), into: &deliveries)
        }
        return room.room
    }

    /// Takes a session out of a room; if it was its user's last there, the user stops typing
    /// and goes offline.
    private mutating func leave(_ session: SessionID, room: RoomID, into deliveries: inout [Delivery]) {
        let user = sessions[session]!.user
        rooms[index(room)].subscribers.removeAll { $0 == session }
        sessions[session]!.rooms.removeAll { $0 == room }
        guard !rooms[index(room)].subscribers.contains(where: { sessions[$0]!.user == user }) else { return }
        stopTyping(user, room: room, into: &deliveries)
        deliver(.presence(room, user, isOnline: false), to: record(room).subscribers, into: &deliveries)
    }

    // MARK: Members

    /// The checks every member change starts with; returns the actor's role.
    private func groupRole(of actor: UserID, in id: RoomID) throws(Rejection) -> Role {
        _ = try existingUser(actor)
        let room = try activeRoom(id)
        switch room.room.kind {
        case .private: throw .privateRoomHasFixedMembers
        case .public: throw .publicRoomHasNoMembers
        case .group: break
        }
        guard let member = room.members.first(where: { $0.user == actor }) else { throw .notMember }
        return member.role
    }

    private mutating func addMember(by actor: UserID, room id: RoomID, username: String, at now: Instant) throws(Rejection) -> Room {
        guard try groupRole(of: actor, in: id) != .member else { throw .notOwnerOrAdmin }
        let target = try existingUser(named: username)
        guard !record(id).members.contains(where: { $0.user == target.id }) else { throw .alreadyMember(target.username) }
        rooms[index(id)].members.append(Member(user: target.id, role: .member, joinedAt: now))
        roomsOfUser[index(target.id)].append(id)
        return record(id).room
    }

    private mutating func removeMember(by actor: UserID, room id: RoomID, username: String, into deliveries: inout [Delivery]) throws(Rejection) {
        let actorRole = try groupRole(of: actor, in: id)
        let target = try existingUser(named: username)
        let targetMember = record(id).members.first { $0.user == target.id }
        if target.id != actor {
            if actorRole == .member { throw .notOwnerOrAdmin }
            if actorRole == .admin, let targetMember, targetMember.role != .member { throw .cannotRemoveOwnerOrAdmin }
        }
        guard let targetMember else { throw .notAMember(target.username) }

        rooms[index(id)].members.removeAll { $0.user == target.id }
        roomsOfUser[index(target.id)].removeAll { $0 == id }
        let targetSessions = record(id).subscribers.filter { sessions[$0]!.user == target.id }
        deliver(.unsubscribed(id, because: .removedFromRoom), to: targetSessions, into: &deliveries)
        for session in targetSessions {
            leave(session, room: id, into: &deliveries)
        }
        stopTyping(target.id, room: id, into: &deliveries)

        let remaining = record(id).members
        if remaining.isEmpty {
            rooms[index(id)].room.isArchived = true
        } else if targetMember.role == .owner {
            let heir = remaining.first { $0.role == .admin } ?? remaining[0]
            let position = remaining.firstIndex { $0.user == heir.user }!
            rooms[index(id)].members[position].role = .owner
        }
    }

    private mutating func changeRole(by actor: UserID, room id: RoomID, username: String, role: Role) throws(Rejection) -> Room {
        guard try groupRole(of: actor, in: id) == .owner else { throw .notOwner }
        guard role != .owner else { throw .invalidRole }
        let target = try existingUser(named: username)
        guard let position = record(id).members.firstIndex(where: { $0.user == target.id }) else { throw .notAMember(target.username) }
        guard record(id).members[position].role != .owner else { throw .cannotChangeOwnerRole }
        rooms[index(id)].members[position].role = role
        return record(id).room
    }

    // MARK: Messages and typing

    private mutating func send(
        by sender: UserID, room id: RoomID, text: String, clientMessageID: String?, via: SessionID?,
        at now: Instant, into deliveries: inout [Delivery]
    ) throws(Rejection) -> Reply {
        _ = try existingUser(sender)
        guard mayRead(sender, try activeRoom(id)) else { throw .notMember }
        if let via {
            guard let session = sessions[via] else { throw .unknownSession }
            guard session.user == sender else { throw .sessionOfAnotherUser }
        }
        guard !text.allSatisfy(\.isWhitespace) else { throw .emptyMessage }
        guard text.count <= configuration.maxMessageLength else { throw .messageTooLong(limit: configuration.maxMessageLength) }
        if let clientMessageID, clientMessageID.isEmpty || clientMessageID.count > 100 { throw .invalidClientMessageID }

        if let clientMessageID, let stored = clientMessages[ClientKey(sender: sender, id: clientMessageID)] {
            if let via { deliver(.message(stored), to: [via], into: &deliveries) }
            return .duplicate(stored)
        }
        lastMessageID += 1
        let message = Message(
            id: MessageID(lastMessageID), room: id, seq: record(id).lastSeq + 1, sender: sender,
            text: text, clientMessageID: clientMessageID, sentAt: now
        )
        rooms[index(id)].lastSeq = message.seq
        rooms[index(id)].window.append(message)
        if record(id).window.count > configuration.recentMessagesPerRoom {
            let evicted = rooms[index(id)].window.removeFirst()
            if let old = evicted.clientMessageID { clientMessages[ClientKey(sender: evicted.sender, id: old)] = nil }
        }
        if let clientMessageID { clientMessages[ClientKey(sender: sender, id: clientMessageID)] = message }
        deliver(.message(message), to: record(id).subscribers, into: &deliveries)
        stopTyping(sender, room: id, into: &deliveries)
        return .sent(message)
    }

    /// Ends a user's typing in a room, if it was typing, telling the other users' sessions.
    private mutating func stopTyping(_ user: UserID, room: RoomID, into deliveries: inout [Delivery]) {
        guard let position = typing.firstIndex(where: { $0.room == room && $0.user == user }) else { return }
        typing.remove(at: position)
        deliver(.typing(room, user, isTyping: false), to: subscribers(of: room, except: user), into: &deliveries)
    }

    /// Stops every typing indicator due at or before `now`, earliest deadline first.
    private mutating func expireTyping(upTo now: Instant, into deliveries: inout [Delivery]) {
        let due = typing.filter { $0.deadline <= now }.sorted { ($0.deadline, $0.room, $0.user) < ($1.deadline, $1.room, $1.user) }
        for entry in due {
            stopTyping(entry.user, room: entry.room, into: &deliveries)
        }
    }

    // MARK: Lookups

    private var nextRoomID: RoomID { RoomID(Int64(rooms.count + 1)) }

    private func index(_ id: UserID) -> Int { Int(id.rawValue) - 1 }
    private func index(_ id: RoomID) -> Int { Int(id.rawValue) - 1 }

    private func existingUser(_ id: UserID) throws(Rejection) -> User {
        guard id.rawValue >= 1, id.rawValue <= users.count else { throw .unknownUserID(id) }
        return users[index(id)]
    }

    private func existingUser(named username: String) throws(Rejection) -> User {
        guard let id = userIDByLowercasedName[username.lowercased()] else { throw .unknownUsers([username]) }
        return users[index(id)]
    }

    private func activeRoom(_ id: RoomID) throws(Rejection) -> RoomRecord {
        guard id.rawValue >= 1, id.rawValue <= rooms.count else { throw .unknownRoom }
        guard !record(id).room.isArchived else { throw .roomArchived }
        return record(id)
    }

    private func checkNewRoomName(_ name: String) throws(Rejection) {
        let hasControl = name.unicodeScalars.contains { $0.properties.generalCategory == .control }
        guard (1...100).contains(name.count), !name.allSatisfy(\.isWhitespace), !name.contains("/"), !hasControl else {
            throw .invalidRoomName
        }
        guard roomIDByName[name] == nil else { throw .roomNameTaken }
    }

    private func mayRead(_ user: UserID, _ room: RoomRecord) -> Bool {
        room.room.kind == .public || room.members.contains { $0.user == user }
    }

    private func subscribers(of room: RoomID, except user: UserID) -> [SessionID] {
        record(room).subscribers.filter { sessions[$0]!.user != user }
    }

    private func deliver(_ payload: Payload, to recipients: [SessionID], into deliveries: inout [Delivery]) {
        guard !recipients.isEmpty else { return }
        deliveries.append(Delivery(to: recipients, payload))
    }
}
