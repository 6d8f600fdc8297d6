import ChatEngine
import ChatStore

/// Sending a message, the same for REST and sockets: the rate limit, duplicates older than the
/// engine's window (found in the store), then the engine.
extension ServerServices {
    /// What a send came to.
    enum SendResult {
        /// Stored now.
        case sent(Message)
        /// A retry of a stored message: nothing new was stored or delivered. `acknowledged`
        /// tells whether the sending socket was already sent the stored message again.
        case duplicate(Message, acknowledged: Bool)
        /// Refused.
        case refused(APIError)
    }

    func send(by user: UserID, room: RoomID, text: String, clientMessageID: String?, via session: SessionID?) async throws(APIError) -> SendResult {
        guard sendLimiter.allow(user, at: WallClock.now()) else {
            return .refused(APIError(.tooManyRequests, SendRateLimiter.limitedMessage))
        }
        if let clientMessageID {
            // A retry is validated like a first send, then may be older than the engine's
            // window but stored: then it is acknowledged again and nothing is stored.
            if let rejection = core.read({ $0.sendRejection(by: user, room: room, text: text, clientMessageID: clientMessageID, via: session) }) {
                return .refused(APIError(rejection))
            }
            if let stored = try await storeRead({ () async throws(StoreError) in try await store.message(from: user, clientMessageID: clientMessageID) }) {
                return .duplicate(stored, acknowledged: false)
            }
        }
        switch try await execute(.send(by: user, room: room, text: text, clientMessageID: clientMessageID, via: session)) {
        case .success(.sent(let message)): return .sent(message)
        case .success(.duplicate(let message)): return .duplicate(message, acknowledged: session != nil)
        case .success: return .refused(APIError(.internalServerError, "Unexpected reply"))
        case .failure(let rejection): return .refused(APIError(rejection))
        }
    }
}
