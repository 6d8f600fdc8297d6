import ChatEngine
import NIOCore
import PostgresNIO

extension PostgresChatStore {
    /// The columns every message query selects, in ``MessageRow``'s order.
    static let messageColumns = "id, room_id, seq, sender_id, text, client_msg_id, sent_at, edited_at, deleted"

    /// A row of ``messageColumns``.
    typealias MessageRow = (Int64, Int64, Int64, Int64, String, String?, Int64, Int64?, Bool)

    /// The SQL of a room's page before or after a seq (binds: room, seq, limit): it walks the
    /// `(room_id, seq)` index from the seq on.
    static func pageSQL(before: Bool, includingDeleted: Bool) -> String {
        let deleted = includingDeleted ? "" : " AND NOT deleted"
        return "SELECT \(messageColumns) FROM messages WHERE room_id = $1 AND seq \(before ? "<" : ">") $2\(deleted) ORDER BY seq\(before ? " DESC" : "") LIMIT $3"
    }

    public func messages(in room: RoomID, before seq: Int64?, limit: Int, includingDeleted: Bool) async throws(StoreError) -> [Message] {
        guard limit > 0 else { return [] }
        let query = Self.query(Self.pageSQL(before: true, includingDeleted: includingDeleted), room.rawValue, seq ?? Int64.max, Int64(limit))
        return try await read { client in try await Self.messages(client.query(query)).reversed() }
    }

    public func messages(in room: RoomID, after seq: Int64, limit: Int, includingDeleted: Bool) async throws(StoreError) -> [Message] {
        guard limit > 0 else { return [] }
        let query = Self.query(Self.pageSQL(before: false, includingDeleted: includingDeleted), room.rawValue, seq, Int64(limit))
        return try await read { client in try await Self.messages(client.query(query)) }
    }

    /// The SQL of ``latestMessages(in:before:limit:)`` (binds: rooms, id, limit): each room's
    /// latest visible messages through the `(room_id, id)` index, merged; never the rooms' whole history.
    static let latestMessagesSQL = """
        SELECT m.* FROM unnest($1::bigint[]) AS r(id) CROSS JOIN LATERAL (
            SELECT \(messageColumns) FROM messages WHERE room_id = r.id AND id < $2 AND NOT deleted ORDER BY id DESC LIMIT $3
        ) AS m ORDER BY m.id DESC LIMIT $3
        """

    public func latestMessages(in rooms: [RoomID], before id: MessageID?, limit: Int) async throws(StoreError) -> [Message] {
        guard limit > 0, !rooms.isEmpty else { return [] }
        let query = Self.query(Self.latestMessagesSQL, rooms.map(\.rawValue), id?.rawValue ?? Int64.max, Int64(limit))
        return try await read { client in try await Self.messages(client.query(query)).reversed() }
    }

    /// The SQL of ``message(_:)`` (binds: id).
    static let messageByIDSQL = "SELECT \(messageColumns) FROM messages WHERE id = $1"

    public func message(_ id: MessageID) async throws(StoreError) -> Message? {
        let query = Self.query(Self.messageByIDSQL, id.rawValue)
        return try await read { client in try await Self.messages(client.query(query)).first }
    }

    /// The SQL of ``unreadCounts(of:after:)`` (binds: rooms, seqs, user): one count per marker,
    /// each through the `(room_id, seq)` index from the marker on, in the markers' order.
    static let unreadCountsSQL = """
        SELECT (SELECT count(*) FROM messages WHERE room_id = k.room AND seq > k.seq AND sender_id <> $3 AND NOT deleted)
        FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS k(room, seq, position) ORDER BY k.position
        """

    public func unreadCounts(of user: UserID, after markers: [(room: RoomID, seq: Int64)]) async throws(StoreError) -> [Int] {
        guard !markers.isEmpty else { return [] }
        let query = Self.query(Self.unreadCountsSQL, markers.map(\.room.rawValue), markers.map(\.seq), user.rawValue)
        return try await read { client in
            var counts: [Int] = []
            for try await count in try await client.query(query).decode(Int64.self) { counts.append(Int(count)) }
            return counts
        }
    }

    public func epoch() async throws(StoreError) -> String {
        try await read { client in
            for try await epoch in try await client.query("SELECT value FROM store_meta WHERE key = 'epoch'").decode(String.self) {
                return epoch
            }
            throw StoreError.readFailed(detail: "the database has no epoch")
        }
    }

    /// The SQL of ``message(from:clientMessageID:)`` (binds: sender, client id).
    static let messageByClientIDSQL = "SELECT \(messageColumns) FROM messages WHERE sender_id = $1 AND client_msg_id = $2"

    public func message(from sender: UserID, clientMessageID: String) async throws(StoreError) -> Message? {
        let query = Self.query(Self.messageByClientIDSQL, sender.rawValue, clientMessageID)
        return try await read { client in try await Self.messages(client.query(query)).first }
    }

    public func passwordHash(of user: UserID) async throws(StoreError) -> String? {
        try await read { client in
            for try await hash in try await client.query("SELECT password_hash FROM users WHERE id = \(user.rawValue)").decode(String?.self) {
                return hash
            }
            return nil
        }
    }

    public func authToken(hash tokenHash: [UInt8]) async throws(StoreError) -> AuthToken? {
        try await read { client in
            let rows = try await client.query(
                "SELECT user_id, issued_at, expires_at, revoked_at FROM auth_tokens WHERE token_hash = \(ByteBuffer(bytes: tokenHash))")
            for try await (user, issuedAt, expiresAt, revokedAt) in rows.decode((Int64, Int64, Int64, Int64?).self) {
                return AuthToken(
                    hash: tokenHash, user: UserID(user), issuedAt: Instant(milliseconds: issuedAt),
                    expiresAt: Instant(milliseconds: expiresAt), revokedAt: revokedAt.map(Instant.init(milliseconds:)))
            }
            return nil
        }
    }

    /// A query of one of the SQL texts above with its binds, in order.
    static func query(_ sql: String, _ values: any PostgresDynamicTypeEncodable...) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values { bindings.append(value) }
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }

    /// The messages of rows of ``messageColumns``.
    static func messages(_ rows: PostgresRowSequence) async throws -> [Message] {
        var messages: [Message] = []
        for try await row in rows.decode(MessageRow.self) {
            messages.append(message(from: row))
        }
        return messages
    }

    /// A message from a row of ``messageColumns``.
    static func message(from row: MessageRow) -> Message {
        Message(
            id: MessageID(row.0), room: RoomID(row.1), seq: row.2, sender: UserID(row.3), text: row.4,
            clientMessageID: row.5, sentAt: Instant(milliseconds: row.6),
            editedAt: row.7.map(Instant.init(milliseconds:)), isDeleted: row.8)
    }
}
