import ChatEngine

/// The seeded generator of an exploration's commands: mostly valid ones for `users` virtual
/// users, and a steady share of forbidden ones.
///
/// It reads the reference model (never the engine) to pick plausible targets, so the commands
/// depend only on the seed: the same seed gives the same run whatever engine runs it, and a
/// failing prefix can be regenerated instead of kept in memory.
struct Workload {
    private var random: SplitMix64
    private let users: Int
    private let typingTimeout: Int64
    private var now = Instant.zero
    private var nextSession: Int64 = 1
    private var openSessions: [SessionID] = []
    private var positions: [SessionID: Int] = [:]
    private var publicRooms: [RoomID] = []
    private var groupRooms: [RoomID] = []
    private var privateRooms: [RoomID] = []
    private var archivedRooms = 0
    private var groupsNamed = 0

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

    private var sessionTarget: Int { max(2, users + users / 2) }
    private var publicTarget: Int { max(3, users / 10) }
    private var groupTarget: Int { max(2, users / 5) }

    /// The next step, chosen against the model's current state.
    mutating func next(_ model: ReferenceModel) -> ScheduledCommand {
        now = now.advanced(by: random.chance(1) ? typingTimeout + Int64(random.below(2_000)) : Int64(random.below(40)))
        return ScheduledCommand(command(model), at: now)
    }

    /// Learns from the model what the last command changed (sessions opened or closed, rooms created).
    mutating func observe(_ command: Command, _ model: ReferenceModel) {
        switch command {
        case .openSession(let session, _) where model.sessions[session] != nil && positions[session] == nil:
            positions[session] = openSessions.count
            openSessions.append(session)
        case .closeSession(let session) where model.sessions[session] == nil:
            guard let position = positions.removeValue(forKey: session) else { break }
            let last = openSessions.removeLast()
            if last != session {
                openSessions[position] = last
                positions[last] = position
            }
        case .removeMember(_, let room, _):
            // The last member left: the group no longer counts towards the target.
            guard room.rawValue <= model.rooms.count, model.record(room).room.isArchived,
                  let position = groupRooms.firstIndex(of: room) else { break }
            groupRooms.remove(at: position)
            archivedRooms += 1
        default:
            break
        }
        let known = publicRooms.count + groupRooms.count + privateRooms.count + archivedRooms
        for record in model.rooms.dropFirst(known) {
            switch record.room.kind {
            case .public: publicRooms.append(record.room.id)
            case .group: groupRooms.append(record.room.id)
            case .private: privateRooms.append(record.room.id)
            }
        }
    }

    // MARK: Choosing a command

    private mutating func command(_ model: ReferenceModel) -> Command {
        let userCount = model.users.count
        if userCount < 2 || (userCount < users && random.chance(35)) {
            return .register(username: Self.username(userCount + 1))
        }
        if openSessions.isEmpty { return openSession(model) }
        let roll = random.below(1_000)
        switch roll {
        case 0..<10: return badRegistration(model)
        case 10..<60: return openSessions.count < sessionTarget || roll < 15 ? openSession(model) : closeSession()
        case 60..<80: return openSessions.count > sessionTarget / 2 ? closeSession() : openSession(model)
        case 80..<95: return createPublicRoom(model)
        case 95..<115: return createGroup(model)
        case 115..<125: return .openPrivateRoom(by: actor(model), with: username(model))
        case 125..<290: return subscribe(model)
        case 290..<330: return unsubscribe(model)
        case 330..<390: return memberChange(model)
        case 390..<700: return send(model)
        case 700..<800: return typing(model)
        default: return .tick
        }
    }

    private mutating func badRegistration(_ model: ReferenceModel) -> Command {
        let existing = model.users[random.below(model.users.count)].username
        return .register(username: random.pick([
            "", "two words", "slash/name", "tab\tname", "emoji😀", String(repeating: "a", count: 151),
            String(repeating: "b", count: 150), existing.uppercased(),
        ]))
    }

    private mutating func openSession(_ model: ReferenceModel) -> Command {
        if random.chance(3), let taken = openSessions.first {
            return .openSession(taken, user: actor(model))
        }
        defer { nextSession += 1 }
        return .openSession(SessionID(nextSession), user: actor(model))
    }

    private mutating func closeSession() -> Command {
        .closeSession(random.chance(3) ? SessionID(nextSession + 1_000) : random.pick(openSessions))
    }

    private mutating func createPublicRoom(_ model: ReferenceModel) -> Command {
        let name = random.chance(10) ? badRoomName() : "lobby-\(random.below(publicTarget + publicTarget / 2))"
        return .createPublicRoom(by: actor(model), name: name)
    }

    private mutating func createGroup(_ model: ReferenceModel) -> Command {
        let name: String
        switch random.below(20) {
        case 0: name = badRoomName()
        case 1: name = "lobby-\(random.below(publicTarget))"
        case 2: name = "team-\(random.below(groupsNamed + 1))"
        default:
            guard groupRooms.count < groupTarget else {
                name = "team-\(random.below(groupsNamed + 1))"
                break
            }
            name = "team-\(groupsNamed)"
            groupsNamed += 1
        }
        let owner = actor(model)
        var members = (0..<1 + random.below(5)).map { _ in username(model) }
        if random.chance(10) { members.append("ghost\(random.below(3))") }
        if random.chance(10), let first = members.first { members.append(first) }
        if random.chance(5), owner.rawValue <= model.users.count { members.append(model.users[Int(owner.rawValue) - 1].username) }
        return .createGroup(by: owner, name: name, members: members)
    }

    private mutating func subscribe(_ model: ReferenceModel) -> Command {
        let session = random.pick(openSessions)
        guard let record = model.sessions[session] else { return .subscribe(session, to: .id(room(model))) }
        if record.rooms.count >= Self.roomsPerSession { return .unsubscribe(session, from: random.pick(record.rooms)) }
        let address: RoomAddress
        switch random.below(100) {
        case 0..<35:
            let own = model.roomsOfUser[Int(record.user.rawValue) - 1]
            address = .id(own.isEmpty ? room(model) : random.pick(own))
        case 35..<60:
            let name = "lobby-\(random.below(publicTarget))"
            address = .named(name)
            if let full = publicRooms.first(where: { model.record($0).room.name == name }),
               model.record(full).subscribers.count >= Self.publicRoomCap {
                return record.rooms.isEmpty ? .tick : .unsubscribe(session, from: random.pick(record.rooms))
            }
        case 60..<70: address = .group(named: "team-\(random.below(groupsNamed + 1))")
        case 70..<85: address = .privateWith(username: username(model))
        case 85..<95: address = .id(privateRooms.isEmpty ? room(model) : random.pick(privateRooms))
        default: address = random.chance(50) ? .named(badRoomName()) : .id(room(model))
        }
        return .subscribe(session, to: address)
    }

    private mutating func unsubscribe(_ model: ReferenceModel) -> Command {
        let session = random.pick(openSessions)
        if let rooms = model.sessions[session]?.rooms, !rooms.isEmpty, random.chance(85) {
            return .unsubscribe(session, from: random.pick(rooms))
        }
        return .unsubscribe(session, from: room(model))
    }

    private mutating func memberChange(_ model: ReferenceModel) -> Command {
        var user = actor(model)
        let own = user.rawValue <= model.users.count
            ? model.roomsOfUser[Int(user.rawValue) - 1].filter { model.record($0).room.kind == .group } : []
        let group = own.isEmpty || random.chance(5) ? (groupRooms.isEmpty ? room(model) : random.pick(groupRooms)) : random.pick(own)
        let members = group.rawValue <= model.rooms.count ? model.record(group).members : []
        if random.chance(50), let manager = members.first(where: { $0.role != .member }) { user = manager.user }
        let member = members.isEmpty ? username(model) : model.users[Int(random.pick(members).user.rawValue) - 1].username
        switch random.below(10) {
        case 0..<4 where members.count < Self.groupCap:
            return .addMember(by: user, room: group, username: username(model))
        case 0..<6:
            let target = random.chance(30) && user.rawValue <= model.users.count ? model.users[Int(user.rawValue) - 1].username : member
            return .removeMember(by: user, room: group, username: random.chance(5) ? username(model) : target)
        default:
            let role: Role = random.chance(10) ? .owner : random.pick([.admin, .member])
            return .changeRole(by: user, room: group, username: random.chance(5) ? username(model) : member, role: role)
        }
    }

    private mutating func send(_ model: ReferenceModel) -> Command {
        let session = random.pick(openSessions)
        let user = model.sessions[session]?.user ?? actor(model)
        let subscribed = model.sessions[session]?.rooms ?? []
        let target: RoomID
        switch random.below(100) {
        case 0..<85 where !subscribed.isEmpty: target = random.pick(subscribed)
        case 0..<95 where user.rawValue <= model.users.count && !model.roomsOfUser[Int(user.rawValue) - 1].isEmpty:
            target = random.pick(model.roomsOfUser[Int(user.rawValue) - 1])
        default: target = room(model)
        }
        let text = random.chance(5) ? random.pick(Texts.invalid) : random.pick(Texts.valid)
        let clientMessageID: String? = switch random.below(100) {
        case 0..<50: nil
        case 50..<97: "c\(random.below(8))"
        default: random.pick(["", String(repeating: "i", count: 101), String(repeating: "j", count: 100)])
        }
        let via: SessionID? = switch random.below(100) {
        case 0..<75: session
        case 75..<90: nil
        case 90..<97: random.pick(openSessions)
        default: SessionID(nextSession + 1_000)
        }
        return .send(by: user, room: target, text: text, clientMessageID: clientMessageID, via: via)
    }

    private mutating func typing(_ model: ReferenceModel) -> Command {
        let session = random.pick(openSessions)
        let user = model.sessions[session]?.user ?? actor(model)
        let subscribed = model.sessions[session]?.rooms ?? []
        let target = subscribed.isEmpty || random.chance(5) ? room(model) : random.pick(subscribed)
        return .typing(by: user, room: target, isTyping: random.chance(75))
    }

    // MARK: Picking targets

    /// A registered user, or now and then an unknown id.
    private mutating func actor(_ model: ReferenceModel) -> UserID {
        random.chance(2) ? UserID(Int64(model.users.count + 1)) : UserID(Int64(1 + random.below(model.users.count)))
    }

    /// A registered user's name (sometimes in capitals), or now and then an unknown one.
    private mutating func username(_ model: ReferenceModel) -> String {
        if random.chance(3) { return "ghost\(random.below(3))" }
        let name = model.users[random.below(model.users.count)].username
        return random.chance(10) ? name.uppercased() : name
    }

    /// Any room id, including one past the last.
    private mutating func room(_ model: ReferenceModel) -> RoomID {
        RoomID(Int64(1 + random.below(model.rooms.count + 1)))
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
