import ChatEngine
import Foundation
import GRDB
import GRDBSQLite

extension SQLiteChatStore {
    /// Writes a batch's facts and records, in order, inside the current transaction. The
    /// message insert is looked up in GRDB's statement cache once per batch, not per message.
    static func perform(_ writes: [StoreWrite], in db: Database) throws {
        var messageInsert: Statement?
        for write in writes { try perform(write, in: db, messageInsert: &messageInsert) }
    }

    /// Writes one fact or record inside the current transaction; `messageInsert` keeps the
    /// batch's message insert once looked up.
    private static func perform(_ write: StoreWrite, in db: Database, messageInsert: inout Statement?) throws {
        switch write {
        case .fact(let fact):
            try perform(fact, in: db, messageInsert: &messageInsert)
        case .passwordHash(let user, let hash):
            try db.cachedStatement(sql: "UPDATE users SET password_hash = ? WHERE id = ?")
                .execute(arguments: [hash, user.rawValue])
            guard db.changesCount == 1 else { throw StoreError.writeFailed(detail: "no user \(user.rawValue) for the password hash") }
        case .tokenIssued(let token):
            try db.cachedStatement(sql: "INSERT INTO auth_tokens (token_hash, user_id, issued_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?)")
                .execute(arguments: [Data(token.hash), token.user.rawValue, token.issuedAt.milliseconds, token.expiresAt.milliseconds, token.revokedAt?.milliseconds])
        case .tokenRevoked(let hash, let instant):
            try db.cachedStatement(sql: "UPDATE auth_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL")
                .execute(arguments: [instant.milliseconds, Data(hash)])
        }
    }

    private static func perform(_ fact: Fact, in db: Database, messageInsert: inout Statement?) throws {
        switch fact {
        case .messageAccepted(let message):
            let statement = try messageInsert ?? db.cachedStatement(sql: insertMessageSQL)
            messageInsert = statement
            try insertMessage(message, with: statement, in: db)
        case .userRegistered(let user):
            try db.cachedStatement(sql: "INSERT INTO users (id, username, username_key, registered_at) VALUES (?, ?, ?, ?)")
                .execute(arguments: [user.id.rawValue, user.username, user.username.lowercased(), user.registeredAt.milliseconds])
        case .roomCreated(let room):
            try db.cachedStatement(sql: "INSERT INTO rooms (id, kind, name, created_by, created_at, pair_first, pair_second, archived) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .execute(arguments: [
                    room.id.rawValue, room.kind.rawValue, room.name, room.createdBy.rawValue, room.createdAt.milliseconds,
                    room.pair?.first.rawValue, room.pair?.second.rawValue, room.isArchived,
                ])
        case .memberAdded(let room, let member):
            try db.cachedStatement(sql: "INSERT INTO memberships (room_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)")
                .execute(arguments: [room.rawValue, member.user.rawValue, member.role.rawValue, member.joinedAt.milliseconds])
        case .memberRemoved(let room, let user):
            try db.cachedStatement(sql: "DELETE FROM memberships WHERE room_id = ? AND user_id = ?")
                .execute(arguments: [room.rawValue, user.rawValue])
        case .roleChanged(let room, let user, let role):
            try db.cachedStatement(sql: "UPDATE memberships SET role = ? WHERE room_id = ? AND user_id = ?")
                .execute(arguments: [role.rawValue, room.rawValue, user.rawValue])
        case .roomArchived(let room):
            try db.cachedStatement(sql: "UPDATE rooms SET archived = 1 WHERE id = ?").execute(arguments: [room.rawValue])
        case .messageEdited(let message):
            try db.cachedStatement(sql: "UPDATE messages SET text = ?, edited_at = ? WHERE id = ? AND deleted = 0")
                .execute(arguments: [message.text, message.editedAt?.milliseconds, message.id.rawValue])
        case .messageDeleted(let message):
            // The text is gone from the database too, not only hidden.
            try db.cachedStatement(sql: "UPDATE messages SET text = '', deleted = 1 WHERE id = ?").execute(arguments: [message.id.rawValue])
        case .readMarkerMoved(let room, let user, let seq):
            try db.cachedStatement(sql: """
                INSERT INTO read_markers (room_id, user_id, seq) VALUES (?, ?, ?)
                ON CONFLICT (room_id, user_id) DO UPDATE SET seq = max(seq, excluded.seq)
                """).execute(arguments: [room.rawValue, user.rawValue, seq])
        }
    }

    /// The SQL of ``insertMessage(_:with:in:)``.
    private static let insertMessageSQL = "INSERT INTO messages (id, room_id, seq, sender_id, text, client_msg_id, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?)"

    /// Runs `statement` (GRDB's prepared ``insertMessageSQL``) for `message`, bound and stepped
    /// through SQLite's own API (in GRDB's transaction): GRDB's argument boxing and execution
    /// bookkeeping cost the committer more than SQLite's insert itself. The texts are bound in
    /// place (`SQLITE_STATIC`: no copy on either side), valid until the step is done and the
    /// statement reset, on every path. A failure throws SQLite's own message, as GRDB would.
    private static func insertMessage(_ message: Message, with statement: Statement, in db: Database) throws {
        let handle = statement.sqliteStatement
        sqlite3_bind_int64(handle, 1, message.id.rawValue)
        sqlite3_bind_int64(handle, 2, message.room.rawValue)
        sqlite3_bind_int64(handle, 3, message.seq)
        sqlite3_bind_int64(handle, 4, message.sender.rawValue)
        sqlite3_bind_int64(handle, 7, message.sentAt.milliseconds)
        let code = message.text.withCString { text in
            sqlite3_bind_text(handle, 5, text, -1, nil)
            guard let clientMessageID = message.clientMessageID else {
                sqlite3_bind_null(handle, 6)
                return sqlite3_step(handle)
            }
            return clientMessageID.withCString { clientMessageID in
                sqlite3_bind_text(handle, 6, clientMessageID, -1, nil)
                return sqlite3_step(handle)
            }
        }
        guard code == SQLITE_DONE else {
            let error = DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: insertMessageSQL)
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            throw error
        }
        sqlite3_reset(handle)
        // The bound texts' memory is gone once this returns: no binding may outlive it.
        sqlite3_clear_bindings(handle)
    }
}
