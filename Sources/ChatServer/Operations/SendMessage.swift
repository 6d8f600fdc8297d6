import ChatEngine
import ChatStore

/// Sending a message, the same for REST and sockets: the rate limit, duplicates older than the
/// engine's window (found in the store), then the engine.
extension ServerServices {
    /// What a send came to.
    enum SendResult: Sendable {
        /// Stored now.
        case sent(Message)
        /// A retry of a stored message: nothing new was stored or delivered. `acknowledged`
        /// tells whether the sending socket was already sent the stored message again.
        case duplicate(Message, acknowledged: Bool)
        /// Refused.
        case refused(APIError)
    }

    /// Sends and waits until the message is stored (or refused).
    func send(by user: UserID, room: RoomID, text: String, clientMessageID: String?, via session: SessionID?) async throws(APIError) -> SendResult {
        if let refusal = sendRefusal(by: user, room: room, text: text, clientMessageID: clientMessageID, via: session) {
            return .refused(refusal)
        }
        if let clientMessageID, let stored = try await storedRetry(from: user, clientMessageID: clientMessageID) {
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
    func sendRefusal(by user: UserID, room: RoomID, text: String, clientMessageID: String?, via session: SessionID?) -> APIError? {
        guard sendLimiter.allow(user, at: clock.now()) else {
            return APIError(.tooManyRequests, SendRateLimiter.limitedMessage)
        }
        guard clientMessageID != nil else { return nil }
        return core.read { $0.sendRejection(by: user, room: room, text: text, clientMessageID: clientMessageID, via: session) }.map(APIError.init)
    }

    /// A stored message of `user` with that client id (a retry of a message older than the
    /// engine's window), if any.
    func storedRetry(from user: UserID, clientMessageID: String) async throws(APIError) -> Message? {
        try await storeRead { () async throws(StoreError) in try await store.message(from: user, clientMessageID: clientMessageID) }
    }

    /// The engine's part of a send, without waiting: `completion` runs once it is stored (or
    /// refused), in the order commands ran.
    func submitSend(
        by user: UserID, room: RoomID, text: String, clientMessageID: String?, via session: SessionID?,
        completion: @escaping @Sendable (Result<SendResult, APIError>) -> Void
    ) {
        core.submit(.send(by: user, room: room, text: text, clientMessageID: clientMessageID, via: session)) { stored in
            switch stored {
            case .success(.success(.sent(let message))): completion(.success(.sent(message)))
            case .success(.success(.duplicate(let message))): completion(.success(.duplicate(message, acknowledged: session != nil)))
            case .success(.success): completion(.success(.refused(APIError(.internalServerError, "Unexpected reply"))))
            case .success(.failure(let rejection)): completion(.success(.refused(APIError(rejection))))
            case .failure(let error): completion(.failure(APIError(error)))
            }
        }
    }
}
