import ChatEngine
import ChatProtocol
import NIOCore

/// Turns one open seed socket's messages into commands, without waiting for them to be
/// stored: the engine takes them in arrival order and their frames go out in that order after
/// commit. A message that is rejected gets an error frame back, in order with the socket's
/// other frames, and the socket stays open.
struct SocketReader: Sendable {
    /// What must finish before the socket's next message is handled: a send whose client id
    /// the engine no longer remembers is looked up in the store first.
    typealias PendingStep = @Sendable () async -> Void

    let services: ServerServices
    let user: UserID
    let username: String
    let room: RoomID
    let session: SessionID

    /// Handles one complete data message: a send or a typing frame. Returns the step still to
    /// be awaited before the next message, if any.
    func handle(_ message: SocketSession.Message) -> PendingStep? {
        guard message.isText else {
            reject(WireError.binaryFrameMessage, reason: "binary")
            return nil
        }
        let frame: ClientFrame
        do throws(WireError) {
            frame = try ClientFrame.parse(message.data.readableBytesView)
        } catch {
            reject(error.message, reason: "invalid_frame")
            return nil
        }
        switch frame {
        case .send(let text, let claimed, let clientMessageID):
            if let claimed, claimed.lowercased() != username.lowercased() {
                reject(ClientFrame.usernameMismatchMessage, reason: "username_mismatch")
                return nil
            }
            if let refusal = services.sendRefusal(by: user, room: room, text: text, clientMessageID: clientMessageID, via: session) {
                reject(refusal)
                return nil
            }
            guard let clientMessageID else {
                submitSend(text: text, clientMessageID: nil)
                return nil
            }
            return { () async in
                do throws(APIError) {
                    if let stored = try await services.storedRetry(from: user, clientMessageID: clientMessageID) {
                        services.core.afterSubmitted { sendStored(stored) }
                    } else {
                        submitSend(text: text, clientMessageID: clientMessageID)
                    }
                } catch {
                    reject(error)
                }
            }
        case .typing(let isTyping):
            services.core.submit(.typing(by: user, room: room, isTyping: isTyping)) { result in
                switch result {
                case .success(.success): break
                case .success(.failure(let rejection)): answer(rejection.message, reason: "rejected")
                case .failure(let error): answer(APIError(error).message, reason: "unavailable")
                }
            }
            return nil
        }
    }

    private func submitSend(text: String, clientMessageID: String?) {
        services.submitSend(by: user, room: room, text: text, clientMessageID: clientMessageID, via: session) { result in
            switch result {
            case .success(.sent), .success(.duplicate(_, acknowledged: true)): break
            case .success(.duplicate(let stored, acknowledged: false)): sendStored(stored)
            case .success(.refused(let error)), .failure(let error): answer(error.message, reason: Self.reason(error))
            }
        }
    }

    /// Sends the sender its stored message again (a retry's acknowledgement).
    private func sendStored(_ stored: Message) {
        let bytes = services.core.read { ServerFrame.encodedMessage(stored, username: $0.user(stored.sender)?.username ?? "", roomName: $0.room(stored.room)?.name ?? "") }
        services.core.connections.send(.frame(ByteBuffer(bytes: bytes)), to: session)
    }

    private func reject(_ error: APIError) {
        reject(error.message, reason: Self.reason(error))
    }

    /// Answers with an error frame once the socket's earlier messages are answered.
    private func reject(_ message: String, reason: String) {
        services.core.afterSubmitted { answer(message, reason: reason) }
    }

    /// Answers with an error frame now (from a completion, which already runs in order).
    private func answer(_ message: String, reason: String) {
        services.metrics.rejectedFrame(reason: reason)
        services.core.connections.send(.frame(FrameRenderer.buffer(.error(message))), to: session)
    }

    private static func reason(_ error: APIError) -> String {
        switch error.status {
        case .tooManyRequests: "rate_limited"
        case .serviceUnavailable: "unavailable"
        default: "rejected"
        }
    }
}
