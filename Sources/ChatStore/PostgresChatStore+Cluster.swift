import ChatEngine
import Foundation
import Logging
import PostgresNIO

extension PostgresChatStore {
    /// The channel every node listens on: log and ephemeral notices share it, so they arrive in
    /// the order they were sent.
    static let noticeChannel = "chat_cluster"

    public func recoverWithPosition(window: Int) async throws(StoreError) -> (facts: [Fact], position: Int64) {
        let logger = logger
        let recovered = try await read { client in
            try await client.withConnection { connection in
                try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
                do {
                    let facts = try await Self.facts(connection, window: Int64(max(window, 1)), logger: logger)
                    let position = try await Self.logHead(connection, logger: logger)
                    try await connection.query("COMMIT", logger: logger)
                    return (facts, position)
                } catch {
                    await Self.abandon(connection)
                    throw error
                }
            }
        }
        groupCommit.reopen()
        return recovered
    }

    public func log(after position: Int64) async throws(StoreError) -> [LogEntry] {
        let logger = logger
        return try await read { client in
            try await client.withConnection { connection in try await Self.entries(after: position, on: connection, logger: logger) }
        }
    }

    public func commitInOrder(
        after position: Int64, node: String, _ body: @Sendable ([LogEntry]) -> OrderedWrites
    ) async throws(StoreError) -> (read: [LogEntry], position: Int64) {
        let logger = logger
        do {
            return try await client.withConnection { connection in
                do {
                    try await connection.query("BEGIN", logger: logger)
                    // The lock and the read in one round trip: the function's read is a statement
                    // of its own, so its snapshot is taken once the lock is held.
                    let read = try await Self.entries(
                        try await connection.query("SELECT * FROM chat_ordered_log(\(position))", logger: logger), after: position)
                    let ordered = body(read)
                    var statements = Self.statements(for: ordered.writes)
                    var head = read.last?.position ?? position
                    let facts = ordered.writes.compactMap { if case .fact(let fact) = $0 { fact } else { nil } }
                    // A batch that ends with new messages (the usual one) writes them and its log
                    // entry in one statement.
                    let lastMessages = facts.isEmpty ? nil : statements.last?.messages
                    if lastMessages != nil { statements.removeLast() }
                    for statement in statements { try await Self.run(statement, on: connection, logger: logger) }
                    if !facts.isEmpty {
                        let encoded = String(decoding: try JSONEncoder().encode(facts), as: UTF8.self)
                        var sql = PostgresQuery.StringInterpolation(literalCapacity: 768, interpolationCount: 12)
                        if let lastMessages {
                            sql.appendLiteral("WITH inserted AS (")
                            Self.appendInsert(lastMessages, to: &sql)
                            sql.appendLiteral(" RETURNING id), ")
                        } else {
                            sql.appendLiteral("WITH ")
                        }
                        sql.appendLiteral("appended AS (INSERT INTO fact_log (node, facts) VALUES (")
                        sql.appendInterpolation(node)
                        sql.appendLiteral(", ")
                        sql.appendInterpolation(encoded)
                        sql.appendLiteral(") RETURNING position) SELECT position, pg_notify(")
                        sql.appendInterpolation(Self.noticeChannel)
                        sql.appendLiteral(", ")
                        sql.appendInterpolation(Self.logNotice(from: node))
                        sql.appendLiteral(")::text FROM appended")
                        let appended = try await connection.query(PostgresQuery(stringInterpolation: sql), logger: logger)
                        for try await (appended, _) in appended.decode((Int64, String).self) { head = appended }
                    }
                    let notices = ordered.notices(head)
                    if !notices.isEmpty { try await Self.send(notices, on: connection, logger: logger) }
                    try await connection.query("COMMIT", logger: logger)
                    return (read, head)
                } catch {
                    await Self.abandon(connection)
                    throw error
                }
            }
        } catch {
            throw .writeFailed(detail: Self.describe(error, server: server))
        }
    }

    public func notify(_ notices: [String]) async throws(StoreError) {
        guard !notices.isEmpty else { return }
        let logger = logger
        do {
            try await client.withConnection { connection in try await Self.send(notices, on: connection, logger: logger) }
        } catch {
            throw .writeFailed(detail: Self.describe(error, server: server))
        }
    }

    public func notices() -> AsyncThrowingStream<NoticeEvent, any Error> {
        let configuration = connectionConfiguration
        let logger = logger
        return AsyncThrowingStream { continuation in
            let listening = Task {
                do {
                    let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
                    do {
                        try await connection.listen(on: Self.noticeChannel) { notifications in
                            continuation.yield(.listening)
                            for try await notification in notifications { continuation.yield(.notice(notification.payload)) }
                        }
                        try? await connection.close()
                        continuation.finish()
                    } catch {
                        try? await connection.close()
                        throw error
                    }
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in listening.cancel() }
        }
    }

    public func renewLease(node: String, position: Int64, lease: Duration) async throws(StoreError) -> (wasHeld: Bool, lapsed: [String]) {
        let logger = logger
        let milliseconds = lease.components.seconds * 1000 + lease.components.attoseconds / 1_000_000_000_000_000
        return try await read { client in
            try await client.withConnection { connection in
                var wasHeld = false
                let renewed = try await connection.query("""
                    WITH previous AS (SELECT lease_until >= now() AS held FROM chat_nodes WHERE node = \(node)),
                         renewed AS (
                             INSERT INTO chat_nodes (node, lease_until, position)
                             VALUES (\(node), now() + \(milliseconds) * interval '1 millisecond', \(position))
                             ON CONFLICT (node) DO UPDATE SET lease_until = excluded.lease_until, position = excluded.position
                             RETURNING node)
                    SELECT coalesce((SELECT held FROM previous), false) FROM renewed
                    """, logger: logger)
                for try await held in renewed.decode(Bool.self) { wasHeld = held }
                // Every node sees a lapsed lease for a while (each clears that node's sessions);
                // the row goes after ten leases.
                try await connection.query(
                    "DELETE FROM chat_nodes WHERE lease_until < now() - \(milliseconds * 10) * interval '1 millisecond'", logger: logger)
                // The log is kept only as far back as a live node may still read it; the floor
                // tells a node that fell further behind to rebuild from the rows instead.
                try await connection.query("""
                    WITH pruned AS (
                        DELETE FROM fact_log WHERE position <= (SELECT min(position) FROM chat_nodes WHERE lease_until >= now())
                        RETURNING position)
                    INSERT INTO store_meta (key, value) SELECT 'log_floor', max(position)::text FROM pruned HAVING count(*) > 0
                    ON CONFLICT (key) DO UPDATE SET value = greatest(store_meta.value::bigint, excluded.value::bigint)::text
                    """, logger: logger)
                var lapsed: [String] = []
                let rows = try await connection.query("SELECT node FROM chat_nodes WHERE lease_until < now() ORDER BY node", logger: logger)
                for try await node in rows.decode(String.self) { lapsed.append(node) }
                return (wasHeld, lapsed)
            }
        }
    }

    public func releaseLease(node: String) async throws(StoreError) {
        let logger = logger
        try await read { client in
            _ = try await client.query("DELETE FROM chat_nodes WHERE node = \(node)", logger: logger)
        }
    }

    /// The last position the rows hold: the log's last entry, or the floor it was pruned to when
    /// nothing is left above it (0 for a log never written).
    private static func logHead(_ connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        var head: Int64 = 0
        let query: PostgresQuery = """
            SELECT greatest(
                (SELECT coalesce(max(position), 0) FROM fact_log),
                (SELECT coalesce(max(value::bigint), 0) FROM store_meta WHERE key = 'log_floor'))
            """
        for try await position in try await connection.query(query, logger: logger).decode(Int64.self) {
            head = position
        }
        return head
    }

    /// The entries after `position` (without the ordering lock), in order; a failure when
    /// entries after it were pruned (the node fell behind every live node: it must rebuild from
    /// the rows).
    private static func entries(after position: Int64, on connection: PostgresConnection, logger: Logger) async throws -> [LogEntry] {
        try await entries(
            connection.query("""
                SELECT 0::bigint, '', value FROM store_meta WHERE key = 'log_floor' AND value::bigint > \(position)
                UNION ALL
                SELECT position, node, facts FROM fact_log WHERE position > \(position)
                ORDER BY 1
                """, logger: logger),
            after: position)
    }

    /// Log entries from rows of (position, node, facts), where position 0 carries the log's
    /// floor when it is past `position`: then a failure.
    private static func entries(_ rows: PostgresRowSequence, after position: Int64) async throws -> [LogEntry] {
        var entries: [LogEntry] = []
        let decoder = JSONDecoder()
        for try await (at, node, facts) in rows.decode((Int64, String, String).self) {
            guard at > 0 else {
                throw StoreError.readFailed(detail: "the log was pruned up to position \(facts), past this node's \(position)")
            }
            entries.append(LogEntry(position: at, node: node, facts: try decoder.decode([Fact].self, from: Data(facts.utf8))))
        }
        return entries
    }

    private static func send(_ notices: [String], on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            "SELECT pg_notify(\(noticeChannel), notice) FROM unnest(\(notices)::text[]) WITH ORDINALITY AS n(notice, i) ORDER BY i",
            logger: logger)
    }
}
