import ChatEngine
import Foundation
import GRDB

extension SQLiteChatStore {
    /// The columns every message query selects, in ``message(from:)``'s order.
    static let messageColumns = "id, room_id, seq, sender_id, text, client_msg_id, sent_at, edited_at, deleted"

    /// Up to this many rooms, "latest messages of these rooms" reads each room through its
    /// index; above it, one backward walk of the message ids (most messages then match).
    static let perRoomQueryLimit = 32

    public func messages(in room: RoomID, before seq: Int64?, limit: Int, includingDeleted: Bool) async throws(StoreError) -> [Message] {
        guard limit > 0 else { return [] }
        let upper = seq ?? Int64.max
        let sql = Self.pageSQL(before: true, includingDeleted: includingDeleted)
        return try await read { db in try Self.fetchMessages(db, sql: sql, [room.rawValue, upper, limit]).reversed() }
    }

    public func messages(in room: RoomID, after seq: Int64, limit: Int, includingDeleted: Bool) async throws(StoreError) -> [Message] {
        guard limit > 0 else { return [] }
        let sql = Self.pageSQL(before: false, includingDeleted: includingDeleted)
        return try await read { db in try Self.fetchMessages(db, sql: sql, [room.rawValue, seq, limit]) }
    }

    /// The SQL of a room's page before or after a seq (arguments: room, seq, limit): it walks
    /// the `(room_id, seq)` index from the seq on.
    static func pageSQL(before: Bool, includingDeleted: Bool) -> String {
        let condition = before ? "seq < ?" : "seq > ?"
        let deleted = includingDeleted ? "" : " AND deleted = 0"
        return "SELECT \(messageColumns) FROM messages WHERE room_id = ? AND \(condition)\(deleted) ORDER BY seq\(before ? " DESC" : "") LIMIT ?"
    }

    /// The SQL of ``message(_:)``.
    static let messageByIDSQL = "SELECT \(messageColumns) FROM messages WHERE id = ?"

    public func message(_ id: MessageID) async throws(StoreError) -> Message? {
        try await read { db in
            try Self.fetchMessages(db, sql: Self.messageByIDSQL, [id.rawValue]).first
        }
    }

    /// Counts through the `(room_id, seq)` index from the marker on: the cost is the unread
    /// messages, never the room's whole history.
    static let unreadCountSQL = "SELECT count(*) FROM messages WHERE room_id = ? AND seq > ? AND sender_id != ? AND deleted = 0"

    public func unreadCounts(of user: UserID, after markers: [(room: RoomID, seq: Int64)]) async throws(StoreError) -> [Int] {
        guard !markers.isEmpty else { return [] }
        let markers = markers.map { [$0.room.rawValue, $0.seq] }
        return try await read { db in
            let statement = try db.cachedStatement(sql: Self.unreadCountSQL)
            return try markers.map { try Int.fetchOne(statement, arguments: [$0[0], $0[1], user.rawValue]) ?? 0 }
        }
    }

    public func epoch() async throws(StoreError) -> String {
        try await read { db in
            guard let epoch = try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = 'epoch'") else {
                throw StoreError.readFailed(detail: "the database has no epoch")
            }
            return epoch
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
            let perRoom = "SELECT * FROM (SELECT \(messageColumns) FROM messages WHERE room_id = ? AND id < ? AND deleted = 0 ORDER BY id DESC LIMIT ?)"
            let sql = Array(repeating: perRoom, count: rooms.count).joined(separator: " UNION ALL ") + " ORDER BY id DESC LIMIT ?"
            var arguments: [any DatabaseValueConvertible] = []
            for room in rooms { arguments += [room.rawValue, upper, limit] }
            arguments.append(limit)
            return (sql, StatementArguments(arguments))
        }
        // `+room_id` keeps SQLite on the primary key: walk ids downwards, keep readable rooms.
        let list = rooms.map { String($0.rawValue) }.joined(separator: ",")
        let sql = "SELECT \(messageColumns) FROM messages WHERE id < ? AND +room_id IN (\(list)) AND deleted = 0 ORDER BY id DESC LIMIT ?"
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
            text: row[4], clientMessageID: row[5], sentAt: Instant(milliseconds: row[6]),
            editedAt: (row[7] as Int64?).map(Instant.init(milliseconds:)), isDeleted: row[8])
    }
}
