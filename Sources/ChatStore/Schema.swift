import GRDB

/// The database schema as numbered migrations; `PRAGMA user_version` holds how many ran.
enum Schema {
    /// Migration `n` (1-based) brings a database from version `n - 1` to `n`.
    static let migrations: [String] = [
        // 1: users, tokens, rooms, memberships, messages.
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL,
            username_key TEXT NOT NULL UNIQUE,
            password_hash TEXT,
            registered_at INTEGER NOT NULL
        );
        CREATE TABLE auth_tokens (
            token_hash BLOB PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            issued_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            revoked_at INTEGER
        ) WITHOUT ROWID;
        CREATE INDEX auth_tokens_by_user ON auth_tokens(user_id);
        CREATE TABLE rooms (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('public', 'group', 'private')),
            name TEXT NOT NULL,
            created_by INTEGER NOT NULL REFERENCES users(id),
            created_at INTEGER NOT NULL,
            pair_first INTEGER REFERENCES users(id),
            pair_second INTEGER REFERENCES users(id),
            archived INTEGER NOT NULL DEFAULT 0
        );
        CREATE UNIQUE INDEX rooms_by_name ON rooms(name) WHERE kind != 'private';
        CREATE UNIQUE INDEX rooms_by_pair ON rooms(pair_first, pair_second) WHERE kind = 'private';
        -- The id is the join order: the oldest admin or member inherits a group.
        CREATE TABLE memberships (
            id INTEGER PRIMARY KEY,
            room_id INTEGER NOT NULL REFERENCES rooms(id),
            user_id INTEGER NOT NULL REFERENCES users(id),
            role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
            joined_at INTEGER NOT NULL,
            UNIQUE (room_id, user_id)
        );
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            room_id INTEGER NOT NULL REFERENCES rooms(id),
            seq INTEGER NOT NULL,
            sender_id INTEGER NOT NULL REFERENCES users(id),
            text TEXT NOT NULL,
            client_msg_id TEXT,
            sent_at INTEGER NOT NULL,
            UNIQUE (room_id, seq)
        );
        CREATE UNIQUE INDEX messages_by_client_id ON messages(sender_id, client_msg_id) WHERE client_msg_id IS NOT NULL;
        CREATE INDEX messages_by_room_id ON messages(room_id, id);
        """,
        // 2: edits and deletions (a deleted message keeps its id and seq, not its text), read
        // markers, and the store's epoch: a random word fixed when the store is created, which
        // tells a resuming client whether the seqs it saw belong to this store's history.
        """
        ALTER TABLE messages ADD COLUMN edited_at INTEGER;
        ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE read_markers (
            room_id INTEGER NOT NULL REFERENCES rooms(id),
            user_id INTEGER NOT NULL REFERENCES users(id),
            seq INTEGER NOT NULL,
            PRIMARY KEY (room_id, user_id)
        ) WITHOUT ROWID;
        CREATE TABLE store_meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO store_meta (key, value) VALUES ('epoch', lower(hex(randomblob(8))));
        """,
    ]

    /// The version this build writes.
    static var latestVersion: Int { migrations.count }

    /// The database's schema version.
    static func version(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
    }

    /// Runs the migrations the database has not had yet, each in its own transaction.
    static func migrate(_ db: Database, to target: Int = latestVersion) throws {
        let current = try version(db)
        guard current < target else { return }
        for version in (current + 1)...target {
            try db.inTransaction {
                try db.execute(sql: migrations[version - 1])
                try db.execute(sql: "PRAGMA user_version = \(version)")
                return .commit
            }
        }
    }
}
