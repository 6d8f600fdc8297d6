import NIOConcurrencyHelpers
import NIOCore

/// The whole state of the ceiling server: users, rooms and who is in them. No storage and no
/// rules: a room is made on first use, anyone may send anything to a room they opened a socket
/// on, and a message is a seq and an id handed out under the room's lock.
final class CeilingHub: Sendable {
    /// A user, known by the token `t<id>`.
    struct User: Sendable {
        let id: Int
        let name: String
    }

    private struct Directory {
        var users: [User] = []
        var userIDs: [String: Int] = [:]
        var rooms: [CeilingRoom] = []
        var roomIDs: [String: Int] = [:]
    }

    private let directory = NIOLockedValueBox(Directory())
    /// The next message id, shared by every room (ids only need to increase within a room).
    private let messageIDs = NIOLockedValueBox(0)
    /// One outbox per event loop of the server.
    let outboxes: [ObjectIdentifier: CeilingOutbox]

    init(loops: [any EventLoop]) {
        var outboxes: [ObjectIdentifier: CeilingOutbox] = [:]
        for loop in loops { outboxes[ObjectIdentifier(loop)] = CeilingOutbox(eventLoop: loop) }
        self.outboxes = outboxes
    }

    /// Registers `name`; nil when it is taken.
    func register(_ name: String) -> User? {
        directory.withLockedValue { directory in
            guard directory.userIDs[name] == nil else { return nil }
            let user = User(id: directory.users.count + 1, name: name)
            directory.users.append(user)
            directory.userIDs[name] = user.id
            return user
        }
    }

    /// The user `name`, if registered.
    func user(named name: String) -> User? {
        directory.withLockedValue { directory in directory.userIDs[name].map { directory.users[$0 - 1] } }
    }

    /// The user whose token is `token` (`t<id>`).
    func user(token: String) -> User? {
        guard token.hasPrefix("t"), let id = Int(token.dropFirst()) else { return nil }
        return directory.withLockedValue { directory in id >= 1 && id <= directory.users.count ? directory.users[id - 1] : nil }
    }

    /// The room `name`, made on first use.
    func room(named name: String) -> CeilingRoom {
        directory.withLockedValue { directory in
            if let id = directory.roomIDs[name] { return directory.rooms[id - 1] }
            let room = CeilingRoom(id: directory.rooms.count + 1, name: name)
            directory.rooms.append(room)
            directory.roomIDs[name] = room.id
            return room
        }
    }

    /// The room with id `id`.
    func room(id: Int) -> CeilingRoom? {
        directory.withLockedValue { directory in id >= 1 && id <= directory.rooms.count ? directory.rooms[id - 1] : nil }
    }

    /// Every room, in creation order.
    var rooms: [CeilingRoom] { directory.withLockedValue { $0.rooms } }

    /// The next message id.
    func nextMessageID() -> Int {
        messageIDs.withLockedValue { id in
            id += 1
            return id
        }
    }
}
