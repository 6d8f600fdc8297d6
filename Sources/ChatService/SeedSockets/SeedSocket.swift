import ChatEngine
import ChatProtocol

/// One open seed socket's protocol: its messages become commands without waiting for them to be
/// stored; the engine takes them in arrival order and their frames go to the outbox in that
/// order after commit. A message that is refused gets an error frame back, in order with the
/// socket's other frames, and the socket stays open.
///
/// Hand it the socket's complete messages one at a time, in order: when ``receive(text:)`` returns
/// a step, await it before the next message (a retry whose client id the engine no longer
/// remembers is looked up in the store first).
public struct SeedSocket: ChatSocket {
    /// The engine session this socket is.
    public let session: SessionID
    /// The room the path named.
    public let room: RoomID
    private let service: ChatService
    private let sender: User

    /// The authenticated user.
    public var user: UserID { sender.id }

    init(service: ChatService, session: SessionID, user: User, room: RoomID) {
        self.service = service
        self.session = session
        sender = user
        self.room = room
    }

    /// Handles one complete text message (its UTF-8 already checked by the transport): a send or
    /// a typing frame. Returns the step still to be awaited before the next message, if any.
    public func receive(text bytes: some Collection<UInt8>) -> ChatSocketStep? {
        let frame: ClientFrame
        do throws(WireError) {
            frame = try ClientFrame.parse(bytes)
        } catch {
            reject(error.message, reason: "invalid_frame")
            return nil
        }
        switch frame {
        case .send(let text, let claimed, let clientMessageID):
            if let claimed, !sender.isNamed(claimed) {
                reject(ClientFrame.usernameMismatchMessage, reason: "username_mismatch")
                return nil
            }
            if let refusal = service.sendRefusal(by: user, room: room, text: text, clientMessageID: clientMessageID, via: session) {
                reject(refusal)
                return nil
            }
            guard let clientMessageID else {
                submitSend(text: text, clientMessageID: nil)
                return nil
            }
            return { () async in
                do throws(ServiceError) {
                    if let stored = try await service.storedRetry(by: user, room: room, text: text, clientMessageID: clientMessageID, via: session) {
                        service.core.afterSubmitted { sendStored(stored) }
                    } else {
                        submitSend(text: text, clientMessageID: clientMessageID)
                    }
                } catch {
                    reject(error)
                }
            }
        case .typing(let isTyping):
            service.core.submit(.typing(by: user, room: room, isTyping: isTyping)) { result in
                switch result {
                case .success(.success): break
                case .success(.failure(let rejection)): answer(rejection.message, reason: "rejected")
                case .failure(let error): answer(ServiceError(error).message, reason: "unavailable")
                }
            }
            return nil
        }
    }

    /// A binary message: the seed protocol has none (an error frame; the socket stays open).
    public func receiveBinary() {
        reject(WireError.binaryFrameMessage, reason: "binary")
    }

    /// The socket is gone: its engine session is closed (typing stops, presence goes).
    public func close() async {
        _ = try? await service.execute(.closeSession(session))
        service.socketClosed(session)
    }

    private func submitSend(text: String, clientMessageID: String?) {
        service.submitSend(by: user, room: room, text: text, clientMessageID: clientMessageID, via: session) { result in
            switch result {
            case .success(.sent), .success(.duplicate(_, acknowledged: true)): break
            case .success(.duplicate(let stored, acknowledged: false)): sendStored(stored)
            case .success(.refused(let error)), .failure(let error): answer(error.message, reason: Self.reason(error))
            }
        }
    }

    /// Sends the sender its stored message again (a retry's acknowledgement).
    private func sendStored(_ stored: Message) {
        let bytes = service.read { ServerFrame.encodedMessage(stored, username: $0.user(stored.sender)?.username ?? "", roomName: $0.room(stored.room)?.name ?? "") }
        service.core.outbox.send(.text(bytes), to: session)
    }

    private func reject(_ error: ServiceError) {
        reject(error.message, reason: Self.reason(error))
    }

    /// Answers with an error frame once the socket's earlier messages are answered.
    private func reject(_ message: String, reason: String) {
        service.core.afterSubmitted { answer(message, reason: reason) }
    }

    /// Answers with an error frame now (from a completion, which already runs in order).
    private func answer(_ message: String, reason: String) {
        service.core.observer.frameRefused(reason: reason)
        service.core.outbox.send(.text(DeliveryRenderer.error(message)), to: session)
    }

    private static func reason(_ error: ServiceError) -> String {
        switch error.status {
        case 429: "rate_limited"
        case 503: "unavailable"
        default: "rejected"
        }
    }
}
