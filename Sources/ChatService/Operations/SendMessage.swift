import ChatEngine
import ChatProtocol
import ChatStore

/// Sending a message, the same for REST and sockets: the sender's rate limit, then the
/// duplicate rule, then the engine.
///
/// The duplicate rule lives here, in one place: the engine remembers the client ids of its
/// recent window and answers a retry from memory; a retry of a message older than that window
/// is found in the store (`message(from:clientMessageID:)`) before the engine sees it. A retry
/// is validated like a first send (room, membership, text) before either lookup, so a client id
/// never reveals a message of a room its sender may no longer write to.
extension ChatService {
    /// What a send came to.
    public enum SendResult: Sendable {
        /// Stored now.
        case sent(Message)
        /// A retry of a stored message: nothing new was stored or delivered. `acknowledged`
        /// tells whether the sending socket was already sent the stored message again.
        case duplicate(Message, acknowledged: Bool)
        /// Refused.
        case refused(ServiceError)
    }

    /// `POST /api/messages`: sends and waits until the message is stored; `isNew` is false for
    /// a retry of a stored message (answered with it, nothing stored).
    public func send(by user: UserID, _ request: SendMessageRequest) async throws(ServiceError) -> (message: MessageBody, isNew: Bool) {
        guard request.roomID >= 1 else { throw ServiceError(Rejection.unknownRoom) }
        switch try await send(by: user, room: RoomID(request.roomID), text: request.message, clientMessageID: request.clientMessageID, via: nil) {
        case .sent(let message): return (read { $0.body(of: message) }, true)
        case .duplicate(let message, _): return (read { $0.body(of: message) }, false)
        case .refused(let error): throw error
        }
    }

    /// Sends and waits until the message is stored (or refused).
    func send(by user: UserID, room: RoomID, text: String, clientMessageID: String?, via session: SessionID?) async throws(ServiceError) -> SendResult {
        if let refusal = sendRefusal(by: user, room: room, text: text, clientMessageID: clientMessageID, via: session) {
            return .refused(refusal)
        }
        if let clientMessageID, let stored = try await storedRetry(by: user, room: room, text: text, clientMessageID: clientMessageID, via: session) {
            return .duplicate(stored, acknowledged: false)
        }
        let result = await withCheckedContinuation { continuation in
            submitSend(by: user, room: room, text: text, clientMessageID: clientMessageID, via: session) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    /// The first steps of a send, before anything is stored: the sender's rate limit (which
    /// this spends), then — for a send with a client id, which may be a retry older than the
    /// engine's window — the engine's own checks, so that a retry is validated like a first send.
    /// With several nodes those checks wait for ``storedRetry(by:room:text:clientMessageID:via:)``:
    /// this node's engine may not yet hold a room or a membership another node just committed.
    func sendRefusal(by user: UserID, room: RoomID, text: String, clientMessageID: String?, via session: SessionID?) -> ServiceError? {
        guard sendLimiter.allow(user, at: clock.now()) else {
            return ServiceError(status: 429, SendRateLimiter.limitedMessage)
        }
        guard clientMessageID != nil, node == nil else { return nil }
        return read { $0.sendRejection(by: user, room: room, text: text, clientMessageID: clientMessageID, via: session) }.map(ServiceError.init)
    }

    /// A stored message of `user` with that client id (a retry of a message older than the
    /// engine's window), if any. With several nodes, the engine's checks of the send run first,
    /// once this node has caught up, and a refusal is thrown: a client id never reveals a
    /// message of a room its sender may no longer write to.
    func storedRetry(by user: UserID, room: RoomID, text: String, clientMessageID: String, via session: SessionID?) async throws(ServiceError) -> Message? {
        if node != nil {
            await catchUp()
            if let refusal = read({ $0.sendRejection(by: user, room: room, text: text, clientMessageID: clientMessageID, via: session) }) {
                throw ServiceError(refusal)
            }
        }
        return try await storeRead { () async throws(StoreError) in try await store.message(from: user, clientMessageID: clientMessageID) }
    }

    /// The engine's part of a send, without waiting: `completion` runs once it is stored (or
    /// refused), in the order commands ran.
    func submitSend(
        by user: UserID, room: RoomID, text: String, clientMessageID: String?, via session: SessionID?,
        completion: @escaping @Sendable (Result<SendResult, ServiceError>) -> Void
    ) {
        core.submit(.send(by: user, room: room, text: text, clientMessageID: clientMessageID, via: session)) { stored in
            switch stored {
            case .success(.success(.sent(let message))): completion(.success(.sent(message)))
            case .success(.success(.duplicate(let message))): completion(.success(.duplicate(message, acknowledged: session != nil)))
            case .success(.success): completion(.success(.refused(.unexpectedReply)))
            case .success(.failure(let rejection)): completion(.success(.refused(ServiceError(rejection))))
            case .failure(let error): completion(.failure(ServiceError(error)))
            }
        }
    }
}
