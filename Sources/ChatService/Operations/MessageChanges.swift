import ChatEngine
import ChatStore

/// Editing and deleting messages, and moving read markers: the same for REST and v1 sockets.
extension ChatService {
    /// Replaces the text of message `id` (its author only) and waits until it is stored;
    /// returns the message as edited.
    public func editMessage(_ id: MessageID, text: String, by user: UserID) async throws(ServiceError) -> Message {
        let stored = try await storedMessage(id)
        guard case .message(let edited) = try await require(.edit(by: user, message: stored, text: text)) else { throw .unexpectedReply }
        return edited
    }

    /// Deletes message `id` (its author, or a group's owner or an admin) and waits until it is
    /// stored; returns the message as deleted.
    public func deleteMessage(_ id: MessageID, by user: UserID) async throws(ServiceError) -> Message {
        let stored = try await storedMessage(id)
        guard case .message(let deleted) = try await require(.delete(by: user, message: stored)) else { throw .unexpectedReply }
        return deleted
    }

    /// Moves `user`'s read marker in `room` forward to `seq` and waits until it is stored;
    /// `via` is the socket it came from, which is not told again.
    public func markRead(_ room: RoomID, seq: Int64, by user: UserID, via session: SessionID? = nil) async throws(ServiceError) {
        _ = try await require(.markRead(by: user, room: room, seq: seq, via: session))
    }

    /// The message `id` as stored (edited or deleted), or 404 "Unknown message".
    private func storedMessage(_ id: MessageID) async throws(ServiceError) -> Message {
        let stored = try await storeRead { () async throws(StoreError) in try await store.message(id) }
        guard let stored else { throw ServiceError(Rejection.unknownMessage) }
        return stored
    }
}
