import Logging
import PostgresNIO

/// The PostgreSQL schema as numbered migrations; the one-row table `chat_schema` holds how many
/// ran. The tables mirror SQLite's (``Schema``); constraints guard what the single writer
/// decides: one seq per room position, one user per username key, one message per client id.
enum PostgresSchema {
    /// Migration `n` (1-based) brings a database from version `n - 1` to `n`: its statements run
    /// one by one, in the transaction of the whole upgrade.
    static let migrations: [[String]] = [
        // 1: users, tokens, rooms, memberships, messages (with edits and deletions), read
        // markers, and the store's metadata (its epoch).
        [
            """
            CREATE TABLE users (
                id bigint PRIMARY KEY,
                username text NOT NULL,
                username_key text NOT NULL UNIQUE,
                password_hash text,
                registered_at bigint NOT NULL
            )
            """,
            """
            CREATE TABLE auth_tokens (
                token_hash bytea PRIMARY KEY,
                user_id bigint NOT NULL REFERENCES users(id),
                issued_at bigint NOT NULL,
                expires_at bigint NOT NULL,
                revoked_at bigint
            )
            """,
            "CREATE INDEX auth_tokens_by_user ON auth_tokens(user_id)",
            """
            CREATE TABLE rooms (
                id bigint PRIMARY KEY,
                kind text NOT NULL CHECK (kind IN ('public', 'group', 'private')),
                name text NOT NULL,
                created_by bigint NOT NULL REFERENCES users(id),
                created_at bigint NOT NULL,
                pair_first bigint REFERENCES users(id),
                pair_second bigint REFERENCES users(id),
                archived boolean NOT NULL DEFAULT false
            )
            """,
            "CREATE UNIQUE INDEX rooms_by_name ON rooms(name) WHERE kind <> 'private'",
            "CREATE UNIQUE INDEX rooms_by_pair ON rooms(pair_first, pair_second) WHERE kind = 'private'",
            // The id is the join order: the oldest admin or member inherits a group.
            """
            CREATE TABLE memberships (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                room_id bigint NOT NULL REFERENCES rooms(id),
                user_id bigint NOT NULL REFERENCES users(id),
                role text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
                joined_at bigint NOT NULL,
                UNIQUE (room_id, user_id)
            )
            """,
            """
            CREATE TABLE messages (
                id bigint PRIMARY KEY,
                room_id bigint NOT NULL REFERENCES rooms(id),
                seq bigint NOT NULL CHECK (seq > 0),
                sender_id bigint NOT NULL REFERENCES users(id),
                text text NOT NULL,
                client_msg_id text,
                sent_at bigint NOT NULL,
                edited_at bigint,
                deleted boolean NOT NULL DEFAULT false,
                UNIQUE (room_id, seq)
            )
            """,
            "CREATE UNIQUE INDEX messages_by_client_id ON messages(sender_id, client_msg_id) WHERE client_msg_id IS NOT NULL",
            "CREATE INDEX messages_by_room_id ON messages(room_id, id)",
            """
            CREATE TABLE read_markers (
                room_id bigint NOT NULL REFERENCES rooms(id),
                user_id bigint NOT NULL REFERENCES users(id),
                seq bigint NOT NULL,
                PRIMARY KEY (room_id, user_id)
            )
            """,
            "CREATE TABLE store_meta (key text PRIMARY KEY, value text NOT NULL)",
        ],
        // 2: several nodes on one database: the log of committed facts in commit order (each
        // row one node's batch, its facts as JSON), and each live node's lease.
        [
            """
            CREATE TABLE fact_log (
                position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                node text NOT NULL,
                facts text NOT NULL
            )
            """,
            """
            CREATE TABLE chat_nodes (
                node text PRIMARY KEY,
                lease_until timestamptz NOT NULL,
                position bigint NOT NULL
            )
            """,
            // The ordering lock, then the log after a position (with the floor first when the
            // log was pruned past it), in one call: each statement of a volatile function takes
            // its own snapshot, so the read sees everything committed before the lock was granted.
            """
            CREATE FUNCTION chat_ordered_log(after bigint) RETURNS TABLE (log_position bigint, log_node text, log_facts text)
            LANGUAGE plpgsql VOLATILE AS $$
            BEGIN
                PERFORM pg_advisory_xact_lock(\(orderingLock));
                RETURN QUERY
                    SELECT 0::bigint, ''::text, value FROM store_meta WHERE key = 'log_floor' AND value::bigint > after
                    UNION ALL
                    SELECT position, node, facts FROM fact_log WHERE position > after
                    ORDER BY 1;
            END
            $$
            """,
        ],
    ]

    /// The version this build writes.
    static var latestVersion: Int { migrations.count }

    /// Any fixed number: the one lock that orders every node's commits.
    static let orderingLock: Int64 = 0x63_68_61_74_2D_6C_6F_67  // "chat-log"

    /// Any fixed number: the advisory lock under which nodes that start together migrate one after the other.
    private static let migrationLock: Int64 = 0x63_68_61_74_2D_73_63_68  // "chat-sch"

    /// Brings the schema of the database `connection` is on up to ``latestVersion`` (or to
    /// `target`) in one transaction, and gives a new store its epoch. A database that holds
    /// other tables but no `chat_schema`, or a newer schema, is refused and left as it was.
    static func migrate(_ connection: PostgresConnection, path: String, to target: Int = latestVersion, logger: Logger) async throws {
        try await connection.query("BEGIN", logger: logger)
        do {
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
            let current = try await version(connection, path: path, logger: logger)
            guard current <= latestVersion else {
                throw StoreError.newerSchema(path: path, found: current, supported: latestVersion)
            }
            if current < target {
                for version in (current + 1)...target {
                    for statement in migrations[version - 1] {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query("UPDATE chat_schema SET version = \(version)", logger: logger)
                }
            }
            if target >= 1 {
                try await connection.query(
                    "INSERT INTO store_meta (key, value) VALUES ('epoch', \(newEpoch())) ON CONFLICT (key) DO NOTHING",
                    logger: logger)
            }
            try await connection.query("COMMIT", logger: logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// The schema version of the database, creating `chat_schema` (at 0) in an empty one.
    private static func version(_ connection: PostgresConnection, path: String, logger: Logger) async throws -> Int {
        var tables: [String] = []
        for try await table in try await connection.query(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name",
            logger: logger
        ).decode(String.self) {
            tables.append(table)
        }
        guard tables.contains("chat_schema") else {
            guard tables.isEmpty else {
                let shown = tables.prefix(5).joined(separator: ", ") + (tables.count > 5 ? ", …" : "")
                throw StoreError.foreignSchema(path: path, detail: "it holds the tables \(shown) and no chat_schema")
            }
            try await connection.query("CREATE TABLE chat_schema (version integer NOT NULL)", logger: logger)
            try await connection.query("INSERT INTO chat_schema (version) VALUES (0)", logger: logger)
            return 0
        }
        var versions: [Int32] = []
        for try await version in try await connection.query("SELECT version FROM chat_schema", logger: logger).decode(Int32.self) {
            versions.append(version)
        }
        guard versions.count == 1, let version = versions.first else {
            throw StoreError.foreignSchema(path: path, detail: "its chat_schema table holds \(versions.count) rows instead of one version")
        }
        return Int(version)
    }

    /// A random word of 16 hex digits.
    private static func newEpoch() -> String {
        let value = UInt64.random(in: .min ... .max)
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
