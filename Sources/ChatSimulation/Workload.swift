import ChatEngine

/// The seeded generator of an exploration's steps: mostly valid actions of `users` virtual
/// users, a steady share of forbidden ones, time passing, and now and then a server restart.
///
/// Steps are what clients can ask of the server (a v1 or seed socket, REST), naming users,
/// rooms, sockets and messages. The generator reads the reference model and the run's names
/// (never the engine) to pick plausible targets, so the steps depend only on the seed: the same
/// seed gives the same run whatever engine runs it, and a failing prefix can be regenerated
/// instead of kept in memory.
struct Workload {
    private var random: SplitMix64
    private let users: Int
    private let typingTimeout: Int64
    private var now = Instant.zero
    private var lastSocket = 0
    private var lastLabel = 0
    private var groupsNamed = 0
    private var publicRooms: [RoomID] = []
    private var groupRooms: [RoomID] = []
    private var privateRooms: [RoomID] = []
    /// Rooms that have messages, in the order they got their first.
    private var messageRooms: [RoomID] = []
    private var hasMessages: Set<RoomID> = []

    /// At most this many sessions subscribe to one public room (keeps fan-out, and checking, bounded).
    private static let publicRoomCap = 40
    /// At most this many members are added to one group.
    private static let groupCap = 12
    /// A session subscribes to at most this many rooms.
    private static let roomsPerSession = 6

    init(seed: UInt64, users: Int, typingTimeout: Int64) {
        random = SplitMix64(seed: seed)
        self.users = users
        self.typingTimeout = typingTimeout
    }

    private var socketTarget: Int { max(2, users + users / 2) }
    private var publicTarget: Int { max(3, users / 10) }
    private var groupTarget: Int { max(2, users / 5) }

    /// The next step, chosen against the model and the names of the run so far.
    mutating func next(_ runner: ActionRunner) -> ScheduledAction {
        now = now.advanced(by: random.chance(1) ? typingTimeout + Int64(random.below(2_000)) : Int64(random.below(40)))
        return ScheduledAction(action(runner.model, runner.names), at: now)
    }

    /// Learns what the last step created: rooms, and rooms with messages.
    mutating func observe(_ action: Action, _ runner: ActionRunner) {
        let model = runner.model
        let known = publicRooms.count + groupRooms.count + privateRooms.count
        for record in model.rooms.dropFirst(known) {
            switch record.room.kind {
            case .public: publicRooms.append(record.room.id)
            case .group: groupRooms.append(record.room.id)
            case .private: privateRooms.append(record.room.id)
            }
        }
        if case .send(_, _, _, _, _, let label) = action, let room = runner.names.messages[label]?.room, hasMessages.insert(room).inserted {
            messageRooms.append(room)
        }
    }

    // MARK: Choosing an action

    private mutating func action(_ model: ReferenceModel, _ names: Names) -> Action {
        let userCount = model.users.count
        if userCount < 2 || (userCount < users && random.chance(35)) {
            return .register(Self.username(userCount + 1))
        }
        if names.openNames.isEmpty { return connect(model) }
        let roll = random.below(1_000)
        switch roll {
        case 0..<10: return badRegistration(model)
        case 10..<60: return names.openNames.count < socketTarget || roll < 15 ? connect(model) : disconnect(names)
        case 60..<80: return names.openNames.count > socketTarget / 2 ? disconnect(names) : connect(model)
        case 80..<95: return .createRoom(user: user(model), name: random.chance(10) ? badRoomName() : "lobby-\(random.below(publicTarget + publicTarget / 2))")
        case 95..<115: return createGroup(model)
        case 115..<125: return .openPrivateRoom(user: user(model), with: username(model))
        case 125..<260: return subscribe(model, names)
        case 260..<290: return unsubscribe(model, names)
        case 290..<350: return memberChange(model)
        case 350..<620: return send(model, names)
        case 620..<700: return typing(model, names)
        case 700..<750: return markRead(model, names)
        case 750..<820: return changeMessage(model, names, deleting: roll >= 790)
        case 997... where random.below(max(1, users / 10)) == 0: return .restart
        default: return .tick
        }
    }

    private mutating func badRegistration(_ model: ReferenceModel) -> Action {
        let existing = model.users[random.below(model.users.count)].username
        return .register(random.pick([
            "", "two words", "slash/name", "tab\tname", "emoji😀", String(repeating: "a", count: 151),
            String(repeating: "b", count: 150), existing.uppercased(),
        ]))
    }

    private mutating func connect(_ model: ReferenceModel) -> Action {
        lastSocket += 1
        let owner = user(model)
        guard random.chance(40) else { return .connect(session: "w\(lastSocket)", user: owner) }
        let path: SeedPath
        switch random.below(100) {
        case 0..<50:
            let name = "lobby-\(random.below(publicTarget))"
            if let full = publicRooms.first(where: { model.record($0).room.name == name }), model.record(full).subscribers.count >= Self.publicRoomCap {
                return .connect(session: "w\(lastSocket)", user: owner)
            }
            path = .room(name)
        case 50..<58: path = .room("team-\(random.below(groupsNamed + 1))")
        case 58..<65: path = .group("team-\(random.below(groupsNamed + 1))")
        case 65..<90: path = .privateWith(username(model))
        default: path = .room(random.pick(["   ", "a/b", "bell\u{7}", "new\nline", String(repeating: "r", count: 101), String(repeating: "s", count: 100)]))
        }
        return .connectSeed(session: "s\(lastSocket)", user: owner, path: path)
    }

    private mutating func disconnect(_ names: Names) -> Action {
        .disconnect(session: random.pick(names.openNames))
    }

    private mutating func createGroup(_ model: ReferenceModel) -> Action {
        let name: String
        switch random.below(20) {
        case 0: name = badRoomName()
        case 1: name = "lobby-\(random.below(publicTarget))"
        case 2: name = "team-\(random.below(groupsNamed + 1))"
        default:
            guard groupRooms.count(where: { !model.record($0).room.isArchived }) < groupTarget else {
                name = "team-\(random.below(groupsNamed + 1))"
                break
            }
            name = "team-\(groupsNamed)"
            groupsNamed += 1
        }
        let owner = user(model)
        var members = (0..<1 + random.below(5)).map { _ in username(model) }
        if random.chance(10) { members.append("ghost\(random.below(3))") }
        if random.chance(10), let first = members.first { members.append(first) }
        if random.chance(5) { members.append(owner) }
        return .createGroup(user: owner, name: name, members: members)
    }

    private mutating func subscribe(_ model: ReferenceModel, _ names: Names) -> Action {
        let socket = random.pick(names.openNames)
        let session = names.sessions[socket]!
        if session.seedRoom != nil { return send(model, names) }
        let subscribed = model.sessions[session.id]?.rooms ?? []
        if subscribed.count >= Self.roomsPerSession { return .unsubscribe(session: socket, room: target(random.pick(subscribed), model)) }
        let room: RoomTarget
        switch random.below(100) {
        case 0..<35:
            let own = model.roomsOfUser[model.index(session.user)]
            room = own.isEmpty ? anyRoom(model) : target(random.pick(own), model)
        case 35..<60:
            let name = "lobby-\(random.below(publicTarget))"
            if let full = publicRooms.first(where: { model.record($0).room.name == name }), model.record(full).subscribers.count >= Self.publicRoomCap {
                return subscribed.isEmpty ? .tick : .unsubscribe(session: socket, room: target(random.pick(subscribed), model))
            }
            room = .named(name)
        case 60..<70: room = .named("team-\(random.below(groupsNamed + 1))")
        case 70..<85: room = privateRooms.isEmpty ? anyRoom(model) : target(random.pick(privateRooms), model)
        default: room = anyRoom(model)
        }
        let afterSeq: Int64? = random.chance(20) ? Int64(random.below(Int(lastSeq(of: room, model)) + 3)) : nil
        return .subscribe(session: socket, room: room, afterSeq: afterSeq)
    }

    private mutating func unsubscribe(_ model: ReferenceModel, _ names: Names) -> Action {
        let socket = random.pick(names.openNames)
        let session = names.sessions[socket]!
        if session.seedRoom != nil { return typing(model, names) }
        if let rooms = model.sessions[session.id]?.rooms, !rooms.isEmpty, random.chance(85) {
            return .unsubscribe(session: socket, room: target(random.pick(rooms), model))
        }
        return .unsubscribe(session: socket, room: anyRoom(model))
    }

    private mutating func memberChange(_ model: ReferenceModel) -> Action {
        var actor = model.users[random.below(model.users.count)].id
        let own = model.roomsOfUser[model.index(actor)].filter { model.record($0).room.kind == .group }
        let group: RoomTarget
        let members: [Member]
        if own.isEmpty || random.chance(5) {
            guard let any = groupRooms.isEmpty ? nil : random.pick(groupRooms) else { return .addMember(user: name(actor, model), room: anyRoom(model), member: username(model)) }
            (group, members) = (target(any, model), model.record(any).members)
        } else {
            let mine = random.pick(own)
            (group, members) = (target(mine, model), model.record(mine).members)
        }
        if random.chance(50), let manager = members.first(where: { $0.role != .member }) { actor = manager.user }
        let member = members.isEmpty ? username(model) : name(random.pick(members).user, model)
        switch random.below(10) {
        case 0..<4 where members.count < Self.groupCap:
            return .addMember(user: name(actor, model), room: group, member: username(model))
        case 0..<6:
            let target = random.chance(30) ? name(actor, model) : member
            return .removeMember(user: name(actor, model), room: group, member: random.chance(5) ? username(model) : target)
        default:
            let role: Role = random.chance(10) ? .owner : random.pick([.admin, .member])
            return .changeRole(user: name(actor, model), room: group, member: random.chance(5) ? username(model) : member, role: role)
        }
    }

    private mutating func send(_ model: ReferenceModel, _ names: Names) -> Action {
        lastLabel += 1
        let label = "m\(lastLabel)"
        let user: UserID
        var via: String?
        let room: RoomID?
        if random.chance(75) {
            let socket = random.pick(names.openNames)
            let session = names.sessions[socket]!
            (user, via) = (session.user, socket)
            let subscribed = model.sessions[session.id]?.rooms ?? []
            let own = model.roomsOfUser[model.index(user)]
            switch random.below(100) {
            case _ where session.seedRoom != nil: room = session.seedRoom
            case 0..<85 where !subscribed.isEmpty: room = random.pick(subscribed)
            case 0..<95 where !own.isEmpty: room = random.pick(own)
            default: room = nil
            }
        } else {
            user = model.users[random.below(model.users.count)].id
            let own = model.roomsOfUser[model.index(user)]
            room = !own.isEmpty && random.chance(70) ? random.pick(own) : nil
        }
        let destination = room.map { target($0, model) } ?? anyRoom(model)
        let text = random.chance(5) ? random.pick(Texts.invalid) : random.pick(Texts.valid)
        let clientMessageID: String? = switch random.below(100) {
        case 0..<50: nil
        case 50..<90: "c\(lastLabel)"
        case 90..<97: retry(by: user, in: room, model) ?? "c\(lastLabel)"
        // Client ids are the sender's own, never reused but by a retry: the longest valid one too.
        default: random.pick(["", String(repeating: "i", count: 101), String(repeating: "j", count: 100 - "\(lastLabel)".count) + "\(lastLabel)"])
        }
        return .send(user: name(user, model), via: via, room: destination, text: text, clientMessageID: clientMessageID, label: label)
    }

    /// The client id of one of `user`'s messages still in the room's recent window (the engine
    /// remembers those; older retries are the store's to answer).
    private mutating func retry(by user: UserID, in room: RoomID?, _ model: ReferenceModel) -> String? {
        guard let room else { return nil }
        let own = model.recentWindow(of: room).compactMap { $0.sender == user ? $0.clientMessageID : nil }
        return own.isEmpty ? nil : random.pick(own)
    }

    private mutating func typing(_ model: ReferenceModel, _ names: Names) -> Action {
        let socket = random.pick(names.openNames)
        let session = names.sessions[socket]!
        let subscribed = model.sessions[session.id]?.rooms ?? []
        let room: RoomTarget = if let seedRoom = session.seedRoom {
            target(seedRoom, model)
        } else if subscribed.isEmpty || random.chance(5) {
            anyRoom(model)
        } else {
            target(random.pick(subscribed), model)
        }
        return .typing(session: socket, room: room, isTyping: random.chance(75))
    }

    private mutating func markRead(_ model: ReferenceModel, _ names: Names) -> Action {
        // Through one of the user's v1 sockets, or over REST.
        let socket = random.pick(names.openNames)
        let session = names.sessions[socket]!
        let overSocket = session.seedRoom == nil && random.chance(60)
        let user = overSocket ? session.user : model.users[random.below(model.users.count)].id
        let own = model.roomsOfUser[model.index(user)]
        let room = !own.isEmpty && random.chance(70) ? target(random.pick(own), model)
            : messageRooms.isEmpty ? anyRoom(model) : target(random.pick(messageRooms), model)
        let last = lastSeq(of: room, model)
        let seq: Int64 = switch random.below(100) {
        case 0..<65: last
        case 65..<92: Int64(random.below(Int(last) + 1))
        case 92..<97: last + 1
        default: -1
        }
        return .markRead(user: name(user, model), via: overSocket ? socket : nil, room: room, seq: seq)
    }

    /// An edit or a delete of a recent message (a few are older than the engine's window), by
    /// its author, a moderator of its room or anyone.
    private mutating func changeMessage(_ model: ReferenceModel, _ names: Names, deleting: Bool) -> Action {
        guard !messageRooms.isEmpty else { return .tick }
        let room = random.pick(messageRooms)
        let message = random.pick(Array(model.storedMessages(in: room).suffix(15)))
        guard let label = names.labels[message.id] else { return .tick }
        let moderators = model.members(of: room).filter { $0.role != .member }
        let actor: UserID = switch random.below(100) {
        case 0..<60: message.sender
        case 60..<90 where !moderators.isEmpty: random.pick(moderators).user
        default: model.users[random.below(model.users.count)].id
        }
        if deleting { return .delete(user: name(actor, model), message: label) }
        let text = random.chance(10) ? random.pick(Texts.invalid) : random.pick(Texts.edited)
        return .edit(user: name(actor, model), message: label, text: text)
    }

    // MARK: Picking targets

    /// A registered user's name.
    private mutating func user(_ model: ReferenceModel) -> String {
        model.users[random.below(model.users.count)].username
    }

    private func name(_ user: UserID, _ model: ReferenceModel) -> String { model.users[model.index(user)].username }

    /// A registered user's name (sometimes in capitals), or now and then an unknown one.
    private mutating func username(_ model: ReferenceModel) -> String {
        if random.chance(3) { return "ghost\(random.below(3))" }
        let name = model.users[random.below(model.users.count)].username
        return random.chance(10) ? name.uppercased() : name
    }

    /// How steps name an existing room.
    private func target(_ room: RoomID, _ model: ReferenceModel) -> RoomTarget {
        let record = model.record(room)
        guard let pair = record.room.pair else { return .named(record.room.name) }
        return .privateRoom(name(pair.first, model), name(pair.second, model))
    }

    /// Any room, or now and then one that does not exist.
    private mutating func anyRoom(_ model: ReferenceModel) -> RoomTarget {
        let pick = random.below(model.rooms.count + 1)
        return pick == model.rooms.count ? .named("nowhere") : target(RoomID(Int64(pick + 1)), model)
    }

    private func lastSeq(of room: RoomTarget, _ model: ReferenceModel) -> Int64 {
        guard case .named(let name) = room, let id = model.roomID(named: name) else {
            if case .privateRoom(let a, let b) = room, let first = model.userID(named: a), let second = model.userID(named: b),
               let pair = UserPair(first, second), let id = model.privateRoomID(pair) {
                return model.lastSeq(of: id)
            }
            return 0
        }
        return model.lastSeq(of: id)
    }

    private mutating func badRoomName() -> String {
        random.pick(["", "   ", "a/b", "bell\u{7}", "new\nline", String(repeating: "r", count: 101), String(repeating: "s", count: 100)])
    }

    /// The name the workload registers its `number`th user under; some use every allowed kind of character.
    private static func username(_ number: Int) -> String {
        switch number % 10 {
        case 3: "u\(number)@chat.example"
        case 7: "Zoë.\(number)+x-y_z"
        default: "u\(number)"
        }
    }
}
