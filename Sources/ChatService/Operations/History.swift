import ChatEngine
import ChatProtocol
import ChatStore

/// Reading history: a room's pages, and the latest messages of every room a user may read.
extension ChatService {
    /// Which page of a room's history.
    public enum HistoryPage: Hashable, Sendable {
        /// The latest `limit` messages before a seq (the room's newest without one).
        case before(Int64?, limit: Int)
        /// The first `limit` messages after a seq: what a reconnecting client missed.
        case after(Int64, limit: Int)
    }

    /// A page of a room's messages, oldest first; readers of the room only (404 unknown room,
    /// 403 not a member).
    public func history(of room: RoomID, for user: UserID, _ page: HistoryPage) async throws(ServiceError) -> [MessageBody] {
        if let refusal = read({ $0.readRejection(of: room, by: user) }) { throw ServiceError(refusal) }
        #if DEBUG
        let includingDeleted = configuration.isPlanted(.historyShowsDeleted)
        #else
        let includingDeleted = false
        #endif
        let messages = try await storeRead { () async throws(StoreError) in
            switch page {
            case .before(let seq, let limit): try await store.messages(in: room, before: seq, limit: limit, includingDeleted: includingDeleted)
            case .after(let seq, let limit): try await store.messages(in: room, after: seq, limit: limit, includingDeleted: includingDeleted)
            }
        }
        return read { engine in messages.map { engine.body(of: $0) } }
    }

    /// The latest `limit` messages (with an id below `before`, if given) of the rooms `user` may
    /// read, oldest first.
    public func latestMessages(for user: UserID, before: MessageID?, limit: Int) async throws(ServiceError) -> [MessageBody] {
        let rooms = read { $0.visibleRooms(for: user).map(\.id) }
        let messages = try await storeRead { () async throws(StoreError) in
            try await store.latestMessages(in: rooms, before: before, limit: limit)
        }
        return read { engine in messages.map { engine.body(of: $0) } }
    }
}
