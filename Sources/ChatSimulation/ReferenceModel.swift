import ChatEngine

/// The chat rules of `docs/engine.md`, restated independently and deliberately simply, to
/// check the engine against.
///
/// It never calls ``ChatEngine`` and shares none of its internals: plain arrays and
/// dictionaries, linear searches over a room's members and subscribers, and every check
/// written out in the documented order. It uses the engine's public value types (``User``,
/// ``Room``, ``Message``, ``Fact``, ``Payload``, ``Rejection``) only so that its predictions
/// compare directly with outcomes.
///
/// It predicts each command's result, its facts in order, and every delivery; and it answers
/// every query the server asks the engine (``ReferenceModel+Queries.swift``). It keeps every
/// message as it now is, as a store does: the engine's recent window is the latest
/// `recentMessagesPerRoom` of them.
struct ReferenceModel {
    /// A room and everything about it the rules need.
    struct RoomRecord {
        var room: Room
        /// Group and private rooms: members in the order they joined.
        var members: [Member] = []
        /// Subscribed sessions, ascending.
        var subscribers: [SessionID] = []
        /// Every message, oldest first (index = seq - 1), as it now is.
        var messages: [Message] = []

        var lastSeq: Int64 { Int64(messages.count) }
    }

    /// An open session.
    struct SessionRecord {
        let user: UserID
        /// Rooms it is subscribed to, ascending.
        var rooms: [RoomID] = []
    }

    /// A sender's own id for a message.
    struct ClientKey: Hashable {
        let sender: UserID
        let id: String
    }

    /// A user typing in a room until `deadline`.
    struct Typing {
        let room: RoomID
        let user: UserID
        var deadline: Instant
    }

    let configuration: ChatConfiguration
    /// Users by id (index = id - 1).
    private(set) var users: [User] = []
    /// Each user's group and private rooms (index = id - 1), in the order they joined.
    private(set) var roomsOfUser: [[RoomID]] = []
    /// Each user's open sessions (index = id - 1), ascending.
    private(set) var sessionsOfUser: [[SessionID]] = []
    private var userIDByLowercasedName: [String: UserID] = [:]
    /// Rooms by id (index = id - 1).
    private(set) var rooms: [RoomRecord] = []
    private var roomIDByName: [String: RoomID] = [:]
    /// Public rooms, by id.
    private(set) var publicRooms: [RoomID] = []
    private var privateRoomIDs: [UserPair: RoomID] = [:]
    private(set) var sessions: [SessionID: SessionRecord] = [:]
    private(set) var typing: [Typing] = []
    private var lastMessageID: Int64 = 0
    /// The client ids of the messages in the rooms' recent windows.
    private var clientMessages: [ClientKey: Message] = [:]
    /// Every message with a client id, by room and seq (a store finds old retries there).
    private(set) var storedClientMessages: [ClientKey: (room: RoomID, seq: Int64)] = [:]
    /// Read markers: room → user → seq.
    private(set) var readMarkers: [RoomID: [UserID: Int64]] = [:]

    init(configuration: ChatConfiguration) {
        self.configuration = configuration
    }

    /// Applies a command at `now` and predicts what the engine answers, stores and delivers.
    mutating func apply(_ command: Command, at now: Instant) -> Prediction {
        var effects = Effects()
        expireTyping(upTo: now, into: &effects)
        let expired = effects.deliveries
        effects.deliveries = []
        do throws(Rejection) {
            let reply = try perform(command, at: now, into: &effects)
            return Prediction(result: .success(reply), expired: expired, deliveries: effects.deliveries, facts: effects.facts)
        } catch {
            // Every command validates before it changes anything, so nothing needs undoing.
            precondition(effects.deliveries.isEmpty && effects.facts.isEmpty, "the model changed something before rejecting")
            return Prediction(result: .failure(error), expired: expired, deliveries: [], facts: [])
        }
    }

    /// A server restarting: every session is gone, and typing with them; nothing durable changes.
    mutating func restart() {
        sessions = [:]
        sessionsOfUser = Array(repeating: [], count: users.count)
        typing = []
        for index in rooms.indices { rooms[index].subscribers = [] }
    }

    private mutating func perform(_ command: Command, at now: Instant, into effects: inout Effects) throws(Rejection) -> Reply {
        switch command {
        case .register(let username):
            return .user(try register(username, at: now, into: &effects))
        case .openSession(let session, let user):
            _ = try existingUser(user)
            guard sessions[session] == nil else { throw .sessionAlreadyOpen }
            sessions[session] = SessionRecord(user: user)
            sessionsOfUser[index(user)].append(session)
            sessionsOfUser[index(user)].sort()
            return .done
        case .closeSession(let session):
            guard let record = sessions[session] else { throw .unknownSession }
            for room in record.rooms {
                leave(session, room: room, into: &effects)
            }
            sessions[session] = nil
            sessionsOfUser[index(record.user)].removeAll { $0 == session }
            return .done
        case .createPublicRoom(let user, let name):
            _ = try existingUser(user)
            return .room(try createPublicRoom(by: user, name: name, at: now, into: &effects))
        case .createGroup(let owner, let name, let members):
            return .room(try createGroup(by: owner, name: name, members: members, at: now, into: &effects))
        case .openPrivateRoom(let user, let other):
            _ = try existingUser(user)
            return .room(try openPrivateRoom(user, with: other, at: now, into: &effects))
        case .subscribe(let session, let address):
            return .room(try subscribe(session, to: address, at: now, into: &effects))
        case .unsubscribe(let session, let room):
            guard let record = sessions[session] else { throw .unknownSession }
            guard exists(room) else { throw .unknownRoom }
            guard record.rooms.contains(room) else { throw .notSubscribed }
            leave(session, room: room, into: &effects)
            return .done
        case .addMember(let actor, let room, let username):
            return .room(try addMember(by: actor, room: room, username: username, at: now, into: &effects))
        case .removeMember(let actor, let room, let username):
            try removeMember(by: actor, room: room, username: username, into: &effects)
            return .done
        case .changeRole(let actor, let room, let username, let role):
            return .room(try changeRole(by: actor, room: room, username: username, role: role, into: &effects))
        case .send(let sender, let room, let text, let clientMessageID, let via):
            return try send(by: sender, room: room, text: text, clientMessageID: clientMessageID, via: via, at: now, into: &effects)
        case .typing(let user, let room, let isTyping):
            try setTyping(user, room: room, isTyping: isTyping, at: now, into: &effects)
            return .done
        case .markRead(let user, let room, let seq, let via):
            try markRead(by: user, room: room, seq: seq, via: via, into: &effects)
            return .done
        case .edit(let user, let stored, let text):
            try checkText(text)
            let current = try currentMessage(stored, by: user)
            guard current.sender == user else { throw .notAuthor }
            let edited = current.edited(to: text, at: now)
            store(edited)
            effects.facts.append(.messageEdited(edited))
            deliver(.edited(edited), to: record(edited.room).subscribers, into: &effects)
            return .message(edited)
        case .delete(let user, let stored):
            let current = try currentMessage(stored, by: user)
            if current.sender != user {
                let role = record(current.room).members.first { $0.user == user }?.role
                guard record(current.room).room.kind == .group, role == .owner || role == .admin else { throw .notAuthorOrModerator }
            }
            let deleted = current.deleted
            store(deleted)
            effects.facts.append(.messageDeleted(deleted))
            deliver(.deleted(deleted), to: record(deleted.room).subscribers, into: &effects)
            return .message(deleted)
        case .tick:
            return .done
        }
    }

    // MARK: Users and rooms

    private mutating func register(_ username: String, at now: Instant, into effects: inout Effects) throws(Rejection) -> User {
        let allowed = username.allSatisfy { $0.isLetter || $0.isNumber || "@.+-_".contains($0) }
        guard (1...150).contains(username.count), allowed else { throw .invalidUsername }
        guard userIDByLowercasedName[username.lowercased()] == nil else { throw .usernameTaken }
        let user = User(id: UserID(Int64(users.count + 1)), username: username, registeredAt: now)
        users.append(user)
        roomsOfUser.append([])
        sessionsOfUser.append([])
        userIDByLowercasedName[username.lowercased()] = user.id
        effects.facts.append(.userRegistered(user))
        return user
    }

    private mutating func createPublicRoom(by user: UserID, name: String, at now: Instant, into effects: inout Effects) throws(Rejection) -> Room {
        try checkNewRoomName(name)
        let room = Room(id: nextRoomID, kind: .public, name: name, createdBy: user, createdAt: now, pair: nil)
        rooms.append(RoomRecord(room: room))
        publicRooms.append(room.id)
        roomIDByName[name] = room.id
        effects.facts.append(.roomCreated(room))
        return room
    }

    private mutating func createGroup(by owner: UserID, name: String, members usernames: [String], at now: Instant, into effects: inout Effects) throws(Rejection) -> Room {
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
        rooms.append(RoomRecord(room: room))
        roomIDByName[name] = room.id
        effects.facts.append(.roomCreated(room))
        for id in memberIDs {
            join(id, room.id, as: id == owner ? .owner : .member, at: now, into: &effects)
        }
        for id in memberIDs {
            deliver(.joined(room), to: sessionsOfUser[index(id)], into: &effects)
        }
        return room
    }

    private mutating func openPrivateRoom(_ user: UserID, with username: String, at now: Instant, into effects: inout Effects) throws(Rejection) -> Room {
        let other = try existingUser(named: username)
        guard let pair = UserPair(user, other.id) else { throw .cannotChatWithYourself }
        if let existing = privateRoomIDs[pair] { return record(existing).room }
        let name = "\(users[index(pair.first)].username), \(users[index(pair.second)].username)"
        let room = Room(id: nextRoomID, kind: .private, name: name, createdBy: user, createdAt: now, pair: pair)
        rooms.append(RoomRecord(room: room))
        privateRoomIDs[pair] = room.id
        effects.facts.append(.roomCreated(room))
        for id in [pair.first, pair.second] {
            join(id, room.id, as: .member, at: now, into: &effects)
        }
        for id in [pair.first, pair.second] {
            deliver(.joined(room), to: sessionsOfUser[index(id)], into: &effects)
        }
        return room
    }

    /// Makes `user` a member of a group or private room.
    private mutating func join(_ user: UserID, _ room: RoomID, as role: Role, at now: Instant, into effects: inout Effects) {
        let member = Member(user: user, role: role, joinedAt: now)
        rooms[index(room)].members.append(member)
        roomsOfUser[index(user)].append(room)
        effects.facts.append(.memberAdded(room, member))
    }

    // MARK: Sessions in rooms

    private mutating func subscribe(_ session: SessionID, to address: RoomAddress, at now: Instant, into effects: inout Effects) throws(Rejection) -> Room {
        guard let user = sessions[session]?.user else { throw .unknownSession }
        let id: RoomID
        switch address {
        case .id(let room):
            id = room
        case .named(let name):
            if let existing = roomIDByName[name] {
                id = existing
            } else {
                id = try createPublicRoom(by: user, name: name, at: now, into: &effects).id
            }
        case .group(let name):
            guard let existing = roomIDByName[name], record(existing).room.kind == .group else { throw .unknownRoom }
            id = existing
        case .privateWith(let username):
            id = try openPrivateRoom(user, with: username, at: now, into: &effects).id
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
            deliver(.presence(id, user, isOnline: true), to: subscribers(of: id, except: user), into: &effects)
        }
        return room.room
    }

    /// Takes a session out of a room; if it was its user's last there, the user stops typing
    /// and goes offline.
    private mutating func leave(_ session: SessionID, room: RoomID, into effects: inout Effects) {
        let user = sessions[session]!.user
        rooms[index(room)].subscribers.removeAll { $0 == session }
        sessions[session]!.rooms.removeAll { $0 == room }
        guard !rooms[index(room)].subscribers.contains(where: { sessions[$0]!.user == user }) else { return }
        stopTyping(user, room: room, into: &effects)
        deliver(.presence(room, user, isOnline: false), to: record(room).subscribers, into: &effects)
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

    private mutating func addMember(by actor: UserID, room id: RoomID, username: String, at now: Instant, into effects: inout Effects) throws(Rejection) -> Room {
        guard try groupRole(of: actor, in: id) != .member else { throw .notOwnerOrAdmin }
        let target = try existingUser(named: username)
        guard !record(id).members.contains(where: { $0.user == target.id }) else { throw .alreadyMember(target.username) }
        join(target.id, id, as: .member, at: now, into: &effects)
        deliver(.membership(id, .added(target.id, .member)), to: record(id).subscribers, into: &effects)
        deliver(.joined(record(id).room), to: sessionsOfUser[index(target.id)], into: &effects)
        return record(id).room
    }

    private mutating func removeMember(by actor: UserID, room id: RoomID, username: String, into effects: inout Effects) throws(Rejection) {
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
        effects.facts.append(.memberRemoved(id, target.id))
        let subscribed = record(id).subscribers.filter { sessions[$0]!.user == target.id }
        deliver(.unsubscribed(id, because: .removedFromRoom), to: subscribed, into: &effects)
        deliver(.left(id), to: sessionsOfUser[index(target.id)].filter { !subscribed.contains($0) }, into: &effects)
        for session in subscribed {
            leave(session, room: id, into: &effects)
        }
        stopTyping(target.id, room: id, into: &effects)
        deliver(.membership(id, .removed(target.id)), to: record(id).subscribers, into: &effects)

        let remaining = record(id).members
        if remaining.isEmpty {
            rooms[index(id)].room.isArchived = true
            effects.facts.append(.roomArchived(id))
        } else if targetMember.role == .owner {
            let heir = remaining.first { $0.role == .admin } ?? remaining[0]
            let position = remaining.firstIndex { $0.user == heir.user }!
            rooms[index(id)].members[position].role = .owner
            effects.facts.append(.roleChanged(id, heir.user, .owner))
            deliver(.membership(id, .roleChanged(heir.user, .owner)), to: record(id).subscribers, into: &effects)
        }
    }

    private mutating func changeRole(by actor: UserID, room id: RoomID, username: String, role: Role, into effects: inout Effects) throws(Rejection) -> Room {
        guard try groupRole(of: actor, in: id) == .owner else { throw .notOwner }
        guard role != .owner else { throw .invalidRole }
        let target = try existingUser(named: username)
        guard let position = record(id).members.firstIndex(where: { $0.user == target.id }) else { throw .notAMember(target.username) }
        guard record(id).members[position].role != .owner else { throw .cannotChangeOwnerRole }
        guard record(id).members[position].role != role else { return record(id).room }
        rooms[index(id)].members[position].role = role
        effects.facts.append(.roleChanged(id, target.id, role))
        deliver(.membership(id, .roleChanged(target.id, role)), to: record(id).subscribers, into: &effects)
        return record(id).room
    }

    // MARK: Messages

    private mutating func send(
        by sender: UserID, room id: RoomID, text: String, clientMessageID: String?, via: SessionID?,
        at now: Instant, into effects: inout Effects
    ) throws(Rejection) -> Reply {
        if let rejection = sendRejection(by: sender, room: id, text: text, clientMessageID: clientMessageID, via: via) { throw rejection }
        if let clientMessageID, let stored = clientMessages[ClientKey(sender: sender, id: clientMessageID)] {
            if let via { deliver(.message(stored), to: [via], into: &effects) }
            return .duplicate(stored)
        }
        lastMessageID += 1
        let message = Message(
            id: MessageID(lastMessageID), room: id, seq: record(id).lastSeq + 1, sender: sender,
            text: text, clientMessageID: clientMessageID, sentAt: now
        )
        rooms[index(id)].messages.append(message)
        let count = record(id).messages.count
        if count > configuration.recentMessagesPerRoom, let old = record(id).messages[count - configuration.recentMessagesPerRoom - 1].clientMessageID {
            // It left the window: its client id is forgotten.
            clientMessages[ClientKey(sender: record(id).messages[count - configuration.recentMessagesPerRoom - 1].sender, id: old)] = nil
        }
        if let clientMessageID {
            clientMessages[ClientKey(sender: sender, id: clientMessageID)] = message
            if storedClientMessages[ClientKey(sender: sender, id: clientMessageID)] == nil {
                storedClientMessages[ClientKey(sender: sender, id: clientMessageID)] = (id, message.seq)
            }
        }
        effects.facts.append(.messageAccepted(message))
        deliver(.message(message), to: record(id).subscribers, into: &effects)
        stopTyping(sender, room: id, into: &effects)
        return .sent(message)
    }

    private mutating func markRead(by user: UserID, room id: RoomID, seq: Int64, via: SessionID?, into effects: inout Effects) throws(Rejection) {
        _ = try existingUser(user)
        let room = try activeRoom(id)
        guard mayRead(user, room) else { throw .notMember }
        if let via {
            guard let session = sessions[via] else { throw .unknownSession }
            guard session.user == user else { throw .sessionOfAnotherUser }
        }
        guard seq >= 0, seq <= room.lastSeq else { throw .invalidReadSeq(last: room.lastSeq) }
        guard seq > readSeq(of: user, in: id) else { return }
        readMarkers[id, default: [:]][user] = seq
        effects.facts.append(.readMarkerMoved(id, user, seq: seq))
        deliver(.readMarker(id, seq: seq), to: sessionsOfUser[index(user)].filter { $0 != via }, into: &effects)
    }

    /// The message an edit or a delete acts on, as it now is: the window's copy when the window
    /// holds its seq (under another id it does not exist), else the caller's.
    private func currentMessage(_ stored: Message, by user: UserID) throws(Rejection) -> Message {
        _ = try existingUser(user)
        guard exists(stored.room) else { throw .unknownMessage }
        let room = record(stored.room)
        guard stored.id.rawValue <= lastMessageID, stored.seq <= room.lastSeq, mayRead(user, room) else { throw .unknownMessage }
        guard !room.room.isArchived else { throw .roomArchived }
        var current = stored
        if let held = recentWindow(of: stored.room).first(where: { $0.seq == stored.seq }) {
            guard held.id == stored.id else { throw .unknownMessage }
            current = held
        }
        guard !current.isDeleted else { throw .messageDeleted }
        return current
    }

    /// Keeps `message` (edited or deleted) in place of the stored one with its seq.
    private mutating func store(_ message: Message) {
        let position = Int(message.seq) - 1
        guard rooms[index(message.room)].messages.indices.contains(position),
              rooms[index(message.room)].messages[position].id == message.id else { return }
        rooms[index(message.room)].messages[position] = message
        if let id = message.clientMessageID, recentWindow(of: message.room).contains(where: { $0.id == message.id }) {
            clientMessages[ClientKey(sender: message.sender, id: id)] = message
        }
    }

    /// The text rules of a send and an edit: not empty, no U+0000, not too long.
    func checkText(_ text: String) throws(Rejection) {
        guard !text.allSatisfy(\.isWhitespace) else { throw .emptyMessage }
        guard !text.unicodeScalars.contains("\u{0}") else { throw .textContainsNul }
        guard text.count <= configuration.maxMessageLength else { throw .messageTooLong(limit: configuration.maxMessageLength) }
    }

    // MARK: Typing

    private mutating func setTyping(_ user: UserID, room: RoomID, isTyping: Bool, at now: Instant, into effects: inout Effects) throws(Rejection) {
        _ = try existingUser(user)
        let record = try activeRoom(room)
        guard mayRead(user, record) else { throw .notMember }
        let deadline = now.advanced(by: configuration.typingTimeout)
        if !isTyping {
            stopTyping(user, room: room, into: &effects)
        } else if let position = typing.firstIndex(where: { $0.room == room && $0.user == user }) {
            typing[position].deadline = deadline
        } else {
            typing.append(Typing(room: room, user: user, deadline: deadline))
            deliver(.typing(room, user, isTyping: true), to: subscribers(of: room, except: user), into: &effects)
        }
    }

    /// Ends a user's typing in a room, if it was typing, telling the other users' sessions.
    private mutating func stopTyping(_ user: UserID, room: RoomID, into effects: inout Effects) {
        guard let position = typing.firstIndex(where: { $0.room == room && $0.user == user }) else { return }
        typing.remove(at: position)
        deliver(.typing(room, user, isTyping: false), to: subscribers(of: room, except: user), into: &effects)
    }

    /// Stops every typing indicator due at or before `now`, earliest deadline first.
    private mutating func expireTyping(upTo now: Instant, into effects: inout Effects) {
        let due = typing.filter { $0.deadline <= now }.sorted { ($0.deadline, $0.room, $0.user) < ($1.deadline, $1.room, $1.user) }
        for entry in due {
            stopTyping(entry.user, room: entry.room, into: &effects)
        }
    }

    // MARK: Lookups

    private var nextRoomID: RoomID { RoomID(Int64(rooms.count + 1)) }

    func index(_ id: UserID) -> Int { Int(id.rawValue) - 1 }
    func index(_ id: RoomID) -> Int { Int(id.rawValue) - 1 }

    /// Whether room `id` exists (archived or not).
    func exists(_ id: RoomID) -> Bool { id.rawValue >= 1 && id.rawValue <= rooms.count }

    /// The record of room `id`, which must exist.
    func record(_ id: RoomID) -> RoomRecord { rooms[index(id)] }

    /// The latest messages of a room, as many as the engine's recent window holds.
    func recentWindow(of id: RoomID) -> ArraySlice<Message> {
        record(id).messages.suffix(configuration.recentMessagesPerRoom)
    }

    func existingUser(_ id: UserID) throws(Rejection) -> User {
        guard id.rawValue >= 1, id.rawValue <= users.count else { throw .unknownUserID(id) }
        return users[index(id)]
    }

    func existingUser(named username: String) throws(Rejection) -> User {
        guard let id = userIDByLowercasedName[username.lowercased()] else { throw .unknownUsers([username]) }
        return users[index(id)]
    }

    func activeRoom(_ id: RoomID) throws(Rejection) -> RoomRecord {
        guard exists(id) else { throw .unknownRoom }
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

    func mayRead(_ user: UserID, _ room: RoomRecord) -> Bool {
        room.room.kind == .public || room.members.contains { $0.user == user }
    }

    private func subscribers(of room: RoomID, except user: UserID) -> [SessionID] {
        record(room).subscribers.filter { sessions[$0]!.user != user }
    }

    private func deliver(_ payload: Payload, to recipients: [SessionID], into effects: inout Effects) {
        guard !recipients.isEmpty else { return }
        effects.deliveries.append(Delivery(to: recipients, payload))
    }

    /// The user registered under `username`, compared case-insensitively.
    func userID(named username: String) -> UserID? { userIDByLowercasedName[username.lowercased()] }

    /// The public or group room called `name` (archived ones keep their names).
    func roomID(named name: String) -> RoomID? { roomIDByName[name] }

    /// The private room of two users, if it was opened.
    func privateRoomID(_ pair: UserPair) -> RoomID? { privateRoomIDs[pair] }
}

/// What a command changed so far: the facts to store and the deliveries, in order.
private struct Effects {
    var facts: [Fact] = []
    var deliveries: [Delivery] = []
}
