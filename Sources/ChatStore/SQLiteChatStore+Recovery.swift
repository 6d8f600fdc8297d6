import ChatEngine
import GRDB

extension SQLiteChatStore {
    public func recover(window: Int) async throws(StoreError) -> [Fact] {
        let facts = try await read { db in try Self.facts(db, window: max(window, 1)) }
        groupCommit.reopen()
        return facts
    }

    /// Users, rooms, members (in join order), each room's latest `window` messages in id order
    /// (as they now are: edited or deleted), then the read markers — one consistent snapshot. Memory grows with users, rooms and `window`, not history.
    static func facts(_ db: Database, window: Int) throws -> [Fact] {
        var facts: [Fact] = []
        for row in try Row.fetchAll(db, sql: "SELECT id, username, registered_at FROM users ORDER BY id") {
            facts.append(.userRegistered(User(id: UserID(row[0]), username: row[1], registeredAt: Instant(milliseconds: row[2]))))
        }
        var roomIDs: [RoomID] = []
        for row in try Row.fetchAll(db, sql: "SELECT id, kind, name, created_by, created_at, pair_first, pair_second, archived FROM rooms ORDER BY id") {
            let id = RoomID(row[0])
            guard let kind = RoomKind(rawValue: row[1]) else { throw StoreError.readFailed(detail: "room \(id.rawValue) has an unknown kind") }
            let pair = (row[5] as Int64?).flatMap { first in (row[6] as Int64?).flatMap { UserPair(UserID(first), UserID($0)) } }
            facts.append(.roomCreated(Room(id: id, kind: kind, name: row[2], createdBy: UserID(row[3]), createdAt: Instant(milliseconds: row[4]), pair: pair, isArchived: row[7])))
            roomIDs.append(id)
        }
        for row in try Row.fetchAll(db, sql: "SELECT room_id, user_id, role, joined_at FROM memberships ORDER BY id") {
            guard let role = Role(rawValue: row[2]) else { throw StoreError.readFailed(detail: "a membership has an unknown role") }
            facts.append(.memberAdded(RoomID(row[0]), Member(user: UserID(row[1]), role: role, joinedAt: Instant(milliseconds: row[3]))))
        }
        var messages: [Message] = []
        let latest = try db.cachedStatement(sql: "SELECT \(messageColumns) FROM messages WHERE room_id = ? ORDER BY seq DESC LIMIT ?")
        for room in roomIDs {
            for row in try Row.fetchAll(latest, arguments: [room.rawValue, window]) {
                messages.append(message(from: row))
            }
        }
        messages.sort { $0.id < $1.id }
        facts += messages.map(Fact.messageAccepted)
        for row in try Row.fetchAll(db, sql: "SELECT room_id, user_id, seq FROM read_markers ORDER BY room_id, user_id") {
            facts.append(.readMarkerMoved(RoomID(row[0]), UserID(row[1]), seq: row[2]))
        }
        return facts
    }
}
