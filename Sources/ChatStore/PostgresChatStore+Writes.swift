import ChatEngine
import Logging
import NIOCore
import PostgresNIO

extension PostgresChatStore {
    /// One statement of a batch: its query, and the failure to report when it must change
    /// exactly one row and did not.
    struct Statement {
        let query: PostgresQuery
        var unlessOneRow: String? = nil
        /// The messages it inserts, when it is a run of new messages (which a shared store's
        /// commit can join with its log entry in one statement).
        var messages: [Message]? = nil
    }

    /// Commits a batch on `connection`: its statements in order, in one transaction. A batch of
    /// one statement (a run of new messages: the usual busy batch) is its own transaction, one
    /// round trip; otherwise `BEGIN`, the statements, `COMMIT`.
    static func commit(_ writes: [StoreWrite], on connection: PostgresConnection, logger: Logger) async throws {
        let statements = statements(for: writes)
        guard statements.count > 1 else {
            if let statement = statements.first { try await run(statement, on: connection, logger: logger) }
            return
        }
        try await connection.query("BEGIN", logger: logger)
        for statement in statements { try await run(statement, on: connection, logger: logger) }
        try await connection.query("COMMIT", logger: logger)
    }

    static func run(_ statement: Statement, on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query(statement.query, logger: logger).collect()
        if let failure = statement.unlessOneRow, rows.count != 1 { throw StoreError.writeFailed(detail: failure) }
    }

    /// The statements of a batch, in order. Consecutive new messages go in one statement.
    static func statements(for writes: [StoreWrite]) -> [Statement] {
        var statements: [Statement] = []
        var index = writes.startIndex
        while index < writes.endIndex {
            var messages: [Message] = []
            while index < writes.endIndex, case .fact(.messageAccepted(let message)) = writes[index] {
                messages.append(message)
                index += 1
            }
            if !messages.isEmpty {
                statements.append(insert(messages))
            } else {
                statements.append(statement(for: writes[index]))
                index += 1
            }
        }
        return statements
    }

    /// Inserts messages in their order, one row each, in one statement.
    private static func insert(_ messages: [Message]) -> Statement {
        var sql = PostgresQuery.StringInterpolation(literalCapacity: 512, interpolationCount: 8)
        appendInsert(messages, to: &sql)
        return Statement(query: PostgresQuery(stringInterpolation: sql), messages: messages)
    }

    /// `INSERT INTO messages …` of `messages`, appended to `sql`.
    static func appendInsert(_ messages: [Message], to sql: inout PostgresQuery.StringInterpolation) {
        sql.appendLiteral("""
            INSERT INTO messages (id, room_id, seq, sender_id, text, client_msg_id, sent_at)
            SELECT id, room_id, seq, sender_id, text, CASE WHEN has_client_id THEN client_msg_id END, sent_at
            FROM unnest(
            """)
        sql.appendInterpolation(messages.map(\.id.rawValue))
        sql.appendLiteral("::bigint[], ")
        sql.appendInterpolation(messages.map(\.room.rawValue))
        sql.appendLiteral("::bigint[], ")
        sql.appendInterpolation(messages.map(\.seq))
        sql.appendLiteral("::bigint[], ")
        sql.appendInterpolation(messages.map(\.sender.rawValue))
        sql.appendLiteral("::bigint[], ")
        sql.appendInterpolation(messages.map(\.text))
        sql.appendLiteral("::text[], ")
        sql.appendInterpolation(messages.map { $0.clientMessageID ?? "" })
        sql.appendLiteral("::text[], ")
        sql.appendInterpolation(messages.map { $0.clientMessageID != nil })
        sql.appendLiteral("::boolean[], ")
        sql.appendInterpolation(messages.map(\.sentAt.milliseconds))
        sql.appendLiteral("::bigint[]) AS m(id, room_id, seq, sender_id, text, client_msg_id, has_client_id, sent_at)")
    }

    /// The statement of one fact or record.
    private static func statement(for write: StoreWrite) -> Statement {
        switch write {
        case .fact(let fact):
            return statement(for: fact)
        case .passwordHash(let user, let hash):
            return Statement(
                query: "UPDATE users SET password_hash = \(hash) WHERE id = \(user.rawValue) RETURNING id",
                unlessOneRow: "no user \(user.rawValue) for the password hash")
        case .tokenIssued(let token):
            return Statement(query: """
                INSERT INTO auth_tokens (token_hash, user_id, issued_at, expires_at, revoked_at)
                VALUES (\(ByteBuffer(bytes: token.hash)), \(token.user.rawValue), \(token.issuedAt.milliseconds),
                        \(token.expiresAt.milliseconds), \(token.revokedAt?.milliseconds))
                """)
        case .tokenRevoked(let hash, let instant):
            return Statement(query:
                "UPDATE auth_tokens SET revoked_at = \(instant.milliseconds) WHERE token_hash = \(ByteBuffer(bytes: hash)) AND revoked_at IS NULL")
        }
    }

    private static func statement(for fact: Fact) -> Statement {
        switch fact {
        case .messageAccepted(let message):
            return insert([message])
        case .userRegistered(let user):
            return Statement(query: """
                INSERT INTO users (id, username, username_key, registered_at)
                VALUES (\(user.id.rawValue), \(user.username), \(user.username.lowercased()), \(user.registeredAt.milliseconds))
                """)
        case .roomCreated(let room):
            return Statement(query: """
                INSERT INTO rooms (id, kind, name, created_by, created_at, pair_first, pair_second, archived)
                VALUES (\(room.id.rawValue), \(room.kind.rawValue), \(room.name), \(room.createdBy.rawValue), \(room.createdAt.milliseconds),
                        \(room.pair?.first.rawValue), \(room.pair?.second.rawValue), \(room.isArchived))
                """)
        case .memberAdded(let room, let member):
            return Statement(query: """
                INSERT INTO memberships (room_id, user_id, role, joined_at)
                VALUES (\(room.rawValue), \(member.user.rawValue), \(member.role.rawValue), \(member.joinedAt.milliseconds))
                """)
        case .memberRemoved(let room, let user):
            return Statement(query: "DELETE FROM memberships WHERE room_id = \(room.rawValue) AND user_id = \(user.rawValue)")
        case .roleChanged(let room, let user, let role):
            return Statement(query: "UPDATE memberships SET role = \(role.rawValue) WHERE room_id = \(room.rawValue) AND user_id = \(user.rawValue)")
        case .roomArchived(let room):
            return Statement(query: "UPDATE rooms SET archived = true WHERE id = \(room.rawValue)")
        case .messageEdited(let message):
            return Statement(query:
                "UPDATE messages SET text = \(message.text), edited_at = \(message.editedAt?.milliseconds) WHERE id = \(message.id.rawValue) AND NOT deleted")
        case .messageDeleted(let message):
            // The text is gone from the database too, not only hidden.
            return Statement(query: "UPDATE messages SET text = '', deleted = true WHERE id = \(message.id.rawValue)")
        case .readMarkerMoved(let room, let user, let seq):
            return Statement(query: """
                INSERT INTO read_markers (room_id, user_id, seq) VALUES (\(room.rawValue), \(user.rawValue), \(seq))
                ON CONFLICT (room_id, user_id) DO UPDATE SET seq = greatest(read_markers.seq, excluded.seq)
                """)
        }
    }
}
