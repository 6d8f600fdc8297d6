import ChatEngine

/// Shrinks a failing run to something a person reads: delete steps, then whole users and
/// sockets (with every step that names them), then make texts short and times round; repeat
/// deleting steps until nothing more can go.
///
/// `fails` replays a candidate from scratch. Since steps name users, rooms, sockets and
/// messages instead of numbering them, deleting a step renumbers nothing after it; a step left
/// naming something that no longer exists does nothing, and goes in the next deletion pass.
public struct StepShrinker {
    let typingTimeout: Int64
    let fails: ([ScheduledAction]) -> Bool

    /// A shrinker for runs on an engine with `typingTimeout`, keeping what `fails` still fails.
    public init(typingTimeout: Int64, fails: @escaping ([ScheduledAction]) -> Bool) {
        self.typingTimeout = typingTimeout
        self.fails = fails
    }

    /// A short list of steps for which `fails` holds (`fails(steps)` must hold).
    public func shrink(_ steps: [ScheduledAction]) -> [ScheduledAction] {
        var current = steps
        var size = Int.max
        while current.count < size {
            size = current.count
            current = Shrinker.shrink(current, fails: fails)
            current = deleteEach(of: users(in: current), from: current) { $0.removingUser($1) }
            current = deleteEach(of: sockets(in: current), from: current) { $0.removingSocket($1) }
            // Smaller values, and owners who stay, may let more steps go.
            current = simplifyValues(current)
            current = undoLeaves(current)
            current = renameLongNames(current)
        }
        current = simplifyTimes(current)
        current = Shrinker.shrink(current, fails: fails)
        // Sockets and messages numbered from 1, in the order they appear.
        let renumbered = current.renumbered()
        return fails(renumbered) ? renumbered : current
    }

    /// Tries removing each of `names` (newest first) with `removing`, keeping every removal after which the run still fails.
    private func deleteEach(of names: [String], from steps: [ScheduledAction], _ removing: ([ScheduledAction], String) -> [ScheduledAction]) -> [ScheduledAction] {
        var current = steps
        for name in names.reversed() {
            let candidate = removing(current, name)
            if candidate.count < current.count, fails(candidate) { current = candidate }
        }
        return current
    }

    private func users(in steps: [ScheduledAction]) -> [String] {
        steps.compactMap { if case .register(let name) = $0.action { name } else { nil } }
    }

    private func sockets(in steps: [ScheduledAction]) -> [String] {
        steps.compactMap {
            switch $0.action {
            case .connect(let session, _), .connectSeed(let session, _, _): session
            default: nil
            }
        }
    }

    /// Short texts, no client ids, fewer group members, small seqs, where the run still fails with them.
    private func simplifyValues(_ steps: [ScheduledAction]) -> [ScheduledAction] {
        var current = steps
        func attempt(_ index: Int, _ action: Action) {
            guard action != current[index].action else { return }
            var candidate = current
            candidate[index].action = action
            if fails(candidate) { current = candidate }
        }
        for index in current.indices {
            switch current[index].action {
            case .send(let user, let via, let room, let text, let client, let label):
                attempt(index, .send(user: user, via: via, room: room, text: text.count > 8 ? "hi" : text, clientMessageID: client, label: label))
                if case .send(let user, let via, let room, let text, .some, let label) = current[index].action {
                    attempt(index, .send(user: user, via: via, room: room, text: text, clientMessageID: nil, label: label))
                }
            case .edit(let user, let message, let text) where text.count > 8:
                attempt(index, .edit(user: user, message: message, text: "edited"))
            case .createGroup(let user, let name, let members):
                for member in members.reversed() {
                    guard case .createGroup(_, _, let now) = current[index].action, let position = now.lastIndex(of: member) else { continue }
                    var fewer = now
                    fewer.remove(at: position)
                    attempt(index, .createGroup(user: user, name: name, members: fewer))
                }
            case .subscribe(let session, let room, .some(let seq)):
                attempt(index, .subscribe(session: session, room: room, afterSeq: nil))
                for smaller in [0, 1, 2, seq / 2] where smaller < seq {
                    guard case .subscribe(_, _, .some(let now)) = current[index].action, smaller < now else { break }
                    attempt(index, .subscribe(session: session, room: room, afterSeq: smaller))
                }
            case .markRead(let user, let via, let room, let seq):
                for smaller in [0, 1, 2, seq / 2] where smaller < seq {
                    guard case .markRead(_, _, _, let now) = current[index].action, smaller < now else { break }
                    attempt(index, .markRead(user: user, via: via, room: room, seq: smaller))
                }
            default:
                break
            }
        }
        return current
    }

    /// Owners hand a group on when they leave, so the steps after a leave are often done by its
    /// heirs: deleting the leave alone leaves them without the rights they had. This deletes a
    /// leave and gives the member changes after it in that group to the user who no longer
    /// leaves, where the run still fails so.
    private func undoLeaves(_ steps: [ScheduledAction]) -> [ScheduledAction] {
        var current = steps
        var index = current.count - 1
        while index >= 0 {
            defer { index -= 1 }
            guard index < current.count, case .removeMember(let user, let room, let member) = current[index].action, user.lowercased() == member.lowercased() else { continue }
            var candidate = current
            candidate.remove(at: index)
            for later in index..<candidate.count {
                switch candidate[later].action {
                case .addMember(let actor, room, let target) where actor.lowercased() != user.lowercased():
                    candidate[later].action = .addMember(user: user, room: room, member: target)
                case .removeMember(let actor, room, let target) where actor.lowercased() != user.lowercased() && actor.lowercased() != target.lowercased():
                    candidate[later].action = .removeMember(user: user, room: room, member: target)
                case .changeRole(let actor, room, let target, let role) where actor.lowercased() != user.lowercased():
                    candidate[later].action = .changeRole(user: user, room: room, member: target, role: role)
                default:
                    break
                }
            }
            if fails(candidate) { current = candidate }
        }
        return current
    }

    /// Gives users and rooms with long or unusual names short ones (`u1`, `room1`), where the
    /// run still fails with them.
    private func renameLongNames(_ steps: [ScheduledAction]) -> [ScheduledAction] {
        var current = steps
        let users = self.users(in: current)
        for name in users where !Self.isShort(name, prefix: "u") {
            let taken = Set(self.users(in: current).map { $0.lowercased() })
            guard let short = (1...).lazy.map({ "u\($0)" }).first(where: { !taken.contains($0) }) else { continue }
            let candidate = current.map { ScheduledAction($0.action.renaming(user: name.lowercased(), to: short), at: $0.instant) }
            if fails(candidate) { current = candidate }
        }
        let rooms = current.compactMap(\.action.createdRoomName)
        for name in rooms where name.count > 12 || !name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) {
            let taken = Set(current.compactMap(\.action.createdRoomName))
            guard let short = (1...).lazy.map({ "room\($0)" }).first(where: { !taken.contains($0) }) else { continue }
            let candidate = current.map { ScheduledAction($0.action.renaming(room: name, to: short), at: $0.instant) }
            if fails(candidate) { current = candidate }
        }
        return current
    }

    private static func isShort(_ name: String, prefix: String) -> Bool {
        name.hasPrefix(prefix) && name.count <= 6 && name.dropFirst(prefix.count).allSatisfy(\.isNumber)
    }

    /// Removes the time between steps where it does not matter, else rounds it down to whole
    /// seconds (or the typing timeout), so a live replay, whose clock also moves while it works,
    /// sees the same deadlines pass.
    private func simplifyTimes(_ steps: [ScheduledAction]) -> [ScheduledAction] {
        var current = steps
        for index in current.indices {
            let previous = index == 0 ? Instant.zero : current[index - 1].instant
            let gap = current[index].instant.milliseconds - previous.milliseconds
            for candidate in [0, gap / 1_000 * 1_000, typingTimeout] where candidate < gap {
                var shifted = current
                for later in index..<shifted.count {
                    shifted[later].instant = shifted[later].instant.advanced(by: candidate - gap)
                }
                if fails(shifted) {
                    current = shifted
                    break
                }
            }
        }
        return current
    }
}

extension [ScheduledAction] {
    /// Without user `name`: their registration, every step they take or that names them, and
    /// every step of their sockets; group member lists lose them.
    func removingUser(_ name: String) -> [ScheduledAction] {
        let key = name.lowercased()
        let sockets = Set(compactMap { step -> String? in
            switch step.action {
            case .connect(let session, let user), .connectSeed(let session, let user, _): user.lowercased() == key ? session : nil
            default: nil
            }
        })
        return compactMap { step in
            if case .createGroup(let user, let room, let members) = step.action, user.lowercased() != key {
                return ScheduledAction(.createGroup(user: user, name: room, members: members.filter { $0.lowercased() != key }), at: step.instant)
            }
            return step.action.names(user: key) || step.action.socket.map(sockets.contains) == true ? nil : step
        }
    }

    /// Without socket `name`: its opening and every step through it.
    func removingSocket(_ name: String) -> [ScheduledAction] {
        filter { $0.action.socket != name }
    }
}

extension Action {
    /// The socket the step opens or acts through, if any.
    var socket: String? {
        switch self {
        case .connect(let session, _), .connectSeed(let session, _, _), .disconnect(let session), .subscribe(let session, _, _),
             .unsubscribe(let session, _), .typing(let session, _, _):
            session
        case .send(_, let via, _, _, _, _), .markRead(_, let via, _, _):
            via
        default:
            nil
        }
    }

    /// Whether the step is taken by, or names, the user whose lowercased name is `key` (group
    /// member lists aside).
    func names(user key: String) -> Bool {
        func room(_ target: RoomTarget) -> Bool {
            if case .privateRoom(let a, let b) = target { return a.lowercased() == key || b.lowercased() == key }
            return false
        }
        return switch self {
        case .register(let user), .createRoom(let user, _), .createGroup(let user, _, _), .edit(let user, _, _), .delete(let user, _):
            user.lowercased() == key
        case .connect(_, let user): user.lowercased() == key
        case .connectSeed(_, let user, .privateWith(let other)): user.lowercased() == key || other.lowercased() == key
        case .connectSeed(_, let user, _): user.lowercased() == key
        case .openPrivateRoom(let user, let other): user.lowercased() == key || other.lowercased() == key
        case .subscribe(_, let target, _), .unsubscribe(_, let target), .typing(_, let target, _): room(target)
        case .addMember(let user, let target, let member), .removeMember(let user, let target, let member), .changeRole(let user, let target, let member, _):
            user.lowercased() == key || member.lowercased() == key || room(target)
        case .send(let user, _, let target, _, _, _), .markRead(let user, _, let target, _): user.lowercased() == key || room(target)
        case .disconnect, .tick, .restart: false
        }
    }
}

extension [ScheduledAction] {
    /// The steps with their sockets called `w1`, `s2` … (v1 and seed sockets) and their messages
    /// `m1`, `m2` … in the order they first appear: names mean nothing but themselves.
    func renumbered() -> [ScheduledAction] {
        var sockets: [String: String] = [:]
        var labels: [String: String] = [:]
        func socket(_ name: String) -> String {
            if let renamed = sockets[name] { return renamed }
            let renamed = "\(name.hasPrefix("s") ? "s" : "w")\(sockets.count + 1)"
            sockets[name] = renamed
            return renamed
        }
        func label(_ name: String) -> String {
            if let renamed = labels[name] { return renamed }
            let renamed = "m\(labels.count + 1)"
            labels[name] = renamed
            return renamed
        }
        return map { step in
            let action: Action = switch step.action {
            case .connect(let session, let user): .connect(session: socket(session), user: user)
            case .connectSeed(let session, let user, let path): .connectSeed(session: socket(session), user: user, path: path)
            case .disconnect(let session): .disconnect(session: socket(session))
            case .subscribe(let session, let room, let after): .subscribe(session: socket(session), room: room, afterSeq: after)
            case .unsubscribe(let session, let room): .unsubscribe(session: socket(session), room: room)
            case .typing(let session, let room, let isTyping): .typing(session: socket(session), room: room, isTyping: isTyping)
            case .send(let user, let via, let room, let text, let client, let name):
                .send(user: user, via: via.map(socket), room: room, text: text, clientMessageID: client, label: label(name))
            case .markRead(let user, let via, let room, let seq): .markRead(user: user, via: via.map(socket), room: room, seq: seq)
            case .edit(let user, let message, let text): .edit(user: user, message: label(message), text: text)
            case .delete(let user, let message): .delete(user: user, message: label(message))
            default: step.action
            }
            return ScheduledAction(action, at: step.instant)
        }
    }
}

extension Action {
    /// The name of the room the step would create, if it may create one.
    var createdRoomName: String? {
        switch self {
        case .createRoom(_, let name), .createGroup(_, let name, _), .connectSeed(_, _, .room(let name)): name
        default: nil
        }
    }

    /// The step with user `key` (lowercased) called `name` instead, wherever it names them.
    func renaming(user key: String, to name: String) -> Action {
        func rename(_ user: String) -> String { user.lowercased() == key ? name : user }
        func rename(_ room: RoomTarget) -> RoomTarget {
            if case .privateRoom(let a, let b) = room { return .privateRoom(rename(a), rename(b)) }
            return room
        }
        return switch self {
        case .register(let user): .register(rename(user))
        case .connect(let session, let user): .connect(session: session, user: rename(user))
        case .connectSeed(let session, let user, .privateWith(let other)): .connectSeed(session: session, user: rename(user), path: .privateWith(rename(other)))
        case .connectSeed(let session, let user, let path): .connectSeed(session: session, user: rename(user), path: path)
        case .createRoom(let user, let room): .createRoom(user: rename(user), name: room)
        case .createGroup(let user, let room, let members): .createGroup(user: rename(user), name: room, members: members.map(rename))
        case .openPrivateRoom(let user, let other): .openPrivateRoom(user: rename(user), with: rename(other))
        case .subscribe(let session, let room, let after): .subscribe(session: session, room: rename(room), afterSeq: after)
        case .unsubscribe(let session, let room): .unsubscribe(session: session, room: rename(room))
        case .addMember(let user, let room, let member): .addMember(user: rename(user), room: rename(room), member: rename(member))
        case .removeMember(let user, let room, let member): .removeMember(user: rename(user), room: rename(room), member: rename(member))
        case .changeRole(let user, let room, let member, let role): .changeRole(user: rename(user), room: rename(room), member: rename(member), role: role)
        case .send(let user, let via, let room, let text, let client, let label):
            .send(user: rename(user), via: via, room: rename(room), text: text, clientMessageID: client, label: label)
        case .typing(let session, let room, let isTyping): .typing(session: session, room: rename(room), isTyping: isTyping)
        case .markRead(let user, let via, let room, let seq): .markRead(user: rename(user), via: via, room: rename(room), seq: seq)
        case .edit(let user, let message, let text): .edit(user: rename(user), message: message, text: text)
        case .delete(let user, let message): .delete(user: rename(user), message: message)
        case .disconnect, .tick, .restart: self
        }
    }

    /// The step with the public or group room `old` called `name` instead.
    func renaming(room old: String, to name: String) -> Action {
        func rename(_ room: RoomTarget) -> RoomTarget { room == .named(old) ? .named(name) : room }
        return switch self {
        case .createRoom(let user, old): .createRoom(user: user, name: name)
        case .createGroup(let user, old, let members): .createGroup(user: user, name: name, members: members)
        case .connectSeed(let session, let user, .room(old)): .connectSeed(session: session, user: user, path: .room(name))
        case .connectSeed(let session, let user, .group(old)): .connectSeed(session: session, user: user, path: .group(name))
        case .subscribe(let session, let room, let after): .subscribe(session: session, room: rename(room), afterSeq: after)
        case .unsubscribe(let session, let room): .unsubscribe(session: session, room: rename(room))
        case .addMember(let user, let room, let member): .addMember(user: user, room: rename(room), member: member)
        case .removeMember(let user, let room, let member): .removeMember(user: user, room: rename(room), member: member)
        case .changeRole(let user, let room, let member, let role): .changeRole(user: user, room: rename(room), member: member, role: role)
        case .send(let user, let via, let room, let text, let client, let label):
            .send(user: user, via: via, room: rename(room), text: text, clientMessageID: client, label: label)
        case .typing(let session, let room, let isTyping): .typing(session: session, room: rename(room), isTyping: isTyping)
        case .markRead(let user, let via, let room, let seq): .markRead(user: user, via: via, room: rename(room), seq: seq)
        default: self
        }
    }
}
