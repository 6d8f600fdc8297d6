import ChatEngine
import Logging
import NIOCore
import PostgresNIO

extension PostgresChatStore {
    /// Writes a batch inside the connection's open transaction, in order. Consecutive new
    /// messages (most of a busy batch) go in one statement: one round trip for all of them.
    static func perform(_ writes: [StoreWrite], on connection: PostgresConnection, logger: Logger) async throws {
        var index = writes.startIndex
        while index < writes.endIndex {
            var messages: [Message] = []
            while index < writes.endIndex, case .fact(.messageAccepted(let message)) = writes[index] {
                messages.append(message)
                index += 1
            }
            if !messages.isEmpty {
                try await insert(messages, on: connection, logger: logger)
            } else {
                try await perform(writes[index], on: connection, logger: logger)
                index += 1
            }
        }
    }

    /// Inserts messages in their order, one row each, in one statement.
    private static func insert(_ messages: [Message], on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO messages (id, room_id, seq, sender_id, text, client_msg_id, sent_at)
            SELECT id, room_id, seq, sender_id, text, CASE WHEN has_client_id THEN client_msg_id END, sent_at
            FROM unnest(\(messages.map(\.id.rawValue))::bigint[], \(messages.map(\.room.rawValue))::bigint[],
                        \(messages.map(\.seq))::bigint[], \(messages.map(\.sender.rawValue))::bigint[],
                        \(messages.map(\.text))::text[], \(messages.map { $0.clientMessageID ?? "" })::text[],
                        \(messages.map { $0.clientMessageID != nil })::boolean[], \(messages.map(\.sentAt.milliseconds))::bigint[])
                AS m(id, room_id, seq, sender_id, text, client_msg_id, has_client_id, sent_at)
            """, logger: logger)
    }

    /// Writes one fact or record inside the current transaction.
    private static func perform(_ write: StoreWrite, on connection: PostgresConnection, logger: Logger) async throws {
        switch write {
        case .fact(let fact):
            try await perform(fact, on: connection, logger: logger)
        case .passwordHash(let user, let hash):
            let updated = try await connection.query(
                "UPDATE users SET password_hash = \(hash) WHERE id = \(user.rawValue) RETURNING id", logger: logger
            ).collect()
            guard updated.count == 1 else { throw StoreError.writeFailed(detail: "no user \(user.rawValue) for the password hash") }
        case .tokenIssued(let token):
            try await connection.query("""
                INSERT INTO auth_tokens (token_hash, user_id, issued_at, expires_at, revoked_at)
                VALUES (\(ByteBuffer(bytes: token.hash)), \(token.user.rawValue), \(token.issuedAt.milliseconds),
                        \(token.expiresAt.milliseconds), \(token.revokedAt?.milliseconds))
                """, logger: logger)
        case .tokenRevoked(let hash, let instant):
            try await connection.query(
                "UPDATE auth_tokens SET revoked_at = \(instant.milliseconds) WHERE token_hash = \(ByteBuffer(bytes: hash)) AND revoked_at IS NULL",
                logger: logger)
        }
    }

    private static func perform(_ fact: Fact, on connection: PostgresConnection, logger: Logger) async throws {
        switch fact {
        case .messageAccepted(let message):
            try await insert([message], on: connection, logger: logger)
        case .userRegistered(let user):
            try await connection.query("""
                INSERT INTO users (id, username, username_key, registered_at)
                VALUES (\(user.id.rawValue), \(user.username), \(user.username.lowercased()), \(user.registeredAt.milliseconds))
                """, logger: logger)
        case .roomCreated(let room):
            try await connection.query("""
                INSERT INTO rooms (id, kind, name, created_by, created_at, pair_first, pair_second, archived)
                VALUES (\(room.id.rawValue), \(room.kind.rawValue), \(room.name), \(room.createdBy.rawValue), \(room.createdAt.milliseconds),
                        \(room.pair?.first.rawValue), \(room.pair?.second.rawValue), \(room.isArchived))
                """, logger: logger)
        case .memberAdded(let room, let member):
            try await connection.query("""
                INSERT INTO memberships (room_id, user_id, role, joined_at)
                VALUES (\(room.rawValue), \(member.user.rawValue), \(member.role.rawValue), \(member.joinedAt.milliseconds))
                """, logger: logger)
        case .memberRemoved(let room, let user):
            try await connection.query(
                "DELETE FROM memberships WHERE room_id = \(room.rawValue) AND user_id = \(user.rawValue)", logger: logger)
        case .roleChanged(let room, let user, let role):
            try await connection.query(
                "UPDATE memberships SET role = \(role.rawValue) WHERE room_id = \(room.rawValue) AND user_id = \(user.rawValue)",
                logger: logger)
        case .roomArchived(let room):
            try await connection.query("UPDATE rooms SET archived = true WHERE id = \(room.rawValue)", logger: logger)
        case .messageEdited(let message):
            try await connection.query(
                "UPDATE messages SET text = \(message.text), edited_at = \(message.editedAt?.milliseconds) WHERE id = \(message.id.rawValue) AND NOT deleted",
                logger: logger)
        case .messageDeleted(let message):
            // The text is gone from the database too, not only hidden.
            try await connection.query("UPDATE messages SET text = '', deleted = true WHERE id = \(message.id.rawValue)", logger: logger)
        case .readMarkerMoved(let room, let user, let seq):
            try await connection.query("""
                INSERT INTO read_markers (room_id, user_id, seq) VALUES (\(room.rawValue), \(user.rawValue), \(seq))
                ON CONFLICT (room_id, user_id) DO UPDATE SET seq = greatest(read_markers.seq, excluded.seq)
                """, logger: logger)
        }
    }
}
