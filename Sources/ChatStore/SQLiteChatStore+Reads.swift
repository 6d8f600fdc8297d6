import ChatEngine
import Foundation
import GRDB

extension SQLiteChatStore {
    /// The columns every message query selects, in ``message(from:)``'s order.
    static let messageColumns = "id, room_id, seq, sender_id, text, client_msg_id, sent_at"

    /// Up to this many rooms, "latest messages of these rooms" reads each room through its
    /// index; above it, one backward walk of the message ids (most messages then match).
    static let perRoomQueryLimit = 32

    public func messages(in room: RoomID, before seq: Int64?, limit: Int) async throws(StoreError) -> [Message] {
        guard limit > 0 else { return [] }
        let upper = seq ?? Int64.max
        return try await read { db in
            try Self.fetchMessages(db, sql: "SELECT \(Self.messageColumns) FROM messages WHERE room_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?", [room.rawValue, upper, limit]).reversed()
        }
    }

    public func messages(in room: RoomID, after seq: Int64, limit: Int) async throws(StoreError) -> [Message] {
        guard limit > 0 else { return [] }
        return try await read { db in
            try Self.fetchMessages(db, sql: "SELECT \(Self.messageColumns) FROM messages WHERE room_id = ? AND seq > ? ORDER BY seq LIMIT ?", [room.rawValue, seq, limit])
        }
    }

    public func latestMessages(in rooms: [RoomID], before id: MessageID?, limit: Int) async throws(StoreError) -> [Message] {
        guard limit > 0, !rooms.isEmpty else { return [] }
        let (sql, arguments) = Self.latestMessagesQuery(rooms: rooms, before: id, limit: limit)
        return try await read { db in try Self.fetchMessages(db, sql: sql, arguments).reversed() }
    }

    /// The SQL of ``latestMessages(in:before:limit:)``: both shapes search an index, never scan.
    static func latestMessagesQuery(rooms: [RoomID], before id: MessageID?, limit: Int) -> (String, StatementArguments) {
        let upper = id?.rawValue ?? Int64.max
        if rooms.count <= perRoomQueryLimit {
            let perRoom = "SELECT * FROM (SELECT \(messageColumns) FROM messages WHERE room_id = ? AND id < ? ORDER BY id DESC LIMIT ?)"
            let sql = Array(repeating: perRoom, count: rooms.count).joined(separator: " UNION ALL ") + " ORDER BY id DESC LIMIT ?"
            var arguments: [any DatabaseValueConvertible] = []
            for room in rooms { arguments += [room.rawValue, upper, limit] }
            arguments.append(limit)
            return (sql, StatementArguments(arguments))
        }
        // `+room_id` keeps SQLite on the primary key: walk ids downwards, keep readable rooms.
        let list = rooms.map { String($0.rawValue) }.joined(separator: ",")
        let sql = "SELECT \(messageColumns) FROM messages WHERE id < ? AND +room_id IN (\(list)) ORDER BY id DESC LIMIT ?"
        return (sql, [upper, limit])
    }

    public func message(from sender: UserID, clientMessageID: String) async throws(StoreError) -> Message? {
        try await read { db in
            try Self.fetchMessages(db, sql: "SELECT \(Self.messageColumns) FROM messages WHERE sender_id = ? AND client_msg_id = ?", [sender.rawValue, clientMessageID]).first
        }
    }

    public func passwordHash(of user: UserID) async throws(StoreError) -> String? {
        try await read { db in try String.fetchOne(db, sql: "SELECT password_hash FROM users WHERE id = ?", arguments: [user.rawValue]) }
    }

    public func authToken(hash tokenHash: [UInt8]) async throws(StoreError) -> AuthToken? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT user_id, issued_at, expires_at, revoked_at FROM auth_tokens WHERE token_hash = ?", arguments: [Data(tokenHash)]).map { row in
                AuthToken(
                    hash: tokenHash, user: UserID(row[0]), issuedAt: Instant(milliseconds: row[1]),
                    expiresAt: Instant(milliseconds: row[2]), revokedAt: (row[3] as Int64?).map(Instant.init(milliseconds:)))
            }
        }
    }

    static func fetchMessages(_ db: Database, sql: String, _ arguments: StatementArguments) throws -> [Message] {
        try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map(message(from:))
    }

    /// A message from a row of ``messageColumns``.
    static func message(from row: Row) -> Message {
        Message(
            id: MessageID(row[0]), room: RoomID(row[1]), seq: row[2], sender: UserID(row[3]),
            text: row[4], clientMessageID: row[5], sentAt: Instant(milliseconds: row[6]))
    }
}
