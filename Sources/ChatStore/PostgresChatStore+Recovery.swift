import ChatEngine
import Logging
import PostgresNIO

extension PostgresChatStore {
    public func recover(window: Int) async throws(StoreError) -> [Fact] {
        try await recoverWithPosition(window: window).facts
    }

    /// Users, rooms, members (in join order), each room's latest `window` messages in id order
    /// (as they now are: edited or deleted), then the read markers — one consistent snapshot,
    /// as ``SQLiteChatStore`` gives them. Memory grows with users, rooms and `window`, not history.
    static func facts(_ connection: PostgresConnection, window: Int64, logger: Logger) async throws -> [Fact] {
        var facts: [Fact] = []
        let users = try await connection.query("SELECT id, username, registered_at FROM users ORDER BY id", logger: logger)
        for try await (id, username, registeredAt) in users.decode((Int64, String, Int64).self) {
            facts.append(.userRegistered(User(id: UserID(id), username: username, registeredAt: Instant(milliseconds: registeredAt))))
        }
        let rooms = try await connection.query(
            "SELECT id, kind, name, created_by, created_at, pair_first, pair_second, archived FROM rooms ORDER BY id", logger: logger)
        for try await row in rooms.decode((Int64, String, String, Int64, Int64, Int64?, Int64?, Bool).self) {
            guard let kind = RoomKind(rawValue: row.1) else { throw StoreError.readFailed(detail: "room \(row.0) has an unknown kind") }
            let pair = row.5.flatMap { first in row.6.flatMap { UserPair(UserID(first), UserID($0)) } }
            facts.append(.roomCreated(Room(
                id: RoomID(row.0), kind: kind, name: row.2, createdBy: UserID(row.3), createdAt: Instant(milliseconds: row.4),
                pair: pair, isArchived: row.7)))
        }
        let members = try await connection.query("SELECT room_id, user_id, role, joined_at FROM memberships ORDER BY id", logger: logger)
        for try await (room, user, role, joinedAt) in members.decode((Int64, Int64, String, Int64).self) {
            guard let role = Role(rawValue: role) else { throw StoreError.readFailed(detail: "a membership has an unknown role") }
            facts.append(.memberAdded(RoomID(room), Member(user: UserID(user), role: role, joinedAt: Instant(milliseconds: joinedAt))))
        }
        // Each room's window through the (room_id, seq) index, all rooms in one round trip.
        let latest = try await connection.query("""
            SELECT m.* FROM rooms AS r CROSS JOIN LATERAL (
                SELECT \(unescaped: messageColumns) FROM messages WHERE room_id = r.id ORDER BY seq DESC LIMIT \(window)
            ) AS m ORDER BY m.id
            """, logger: logger)
        facts += try await messages(latest).map(Fact.messageAccepted)
        let markers = try await connection.query("SELECT room_id, user_id, seq FROM read_markers ORDER BY room_id, user_id", logger: logger)
        for try await (room, user, seq) in markers.decode((Int64, Int64, Int64).self) {
            facts.append(.readMarkerMoved(RoomID(room), UserID(user), seq: seq))
        }
        return facts
    }
}
