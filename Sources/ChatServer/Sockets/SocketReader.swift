import ChatEngine
import ChatProtocol
import NIOCore

/// Turns one open seed socket's messages into commands. A message that is rejected gets an
/// error frame back and the socket stays open.
struct SocketReader: Sendable {
    let services: ServerServices
    let user: UserID
    let username: String
    let room: RoomID
    let session: SessionID

    /// Handles one complete data message: a send or a typing frame. Rejected frames are answered
    /// with an error frame, in order with the socket's other frames.
    func handle(_ opcode: WebSocketOpcode, _ data: ByteBuffer) async {
        guard opcode == .text else { return reject(WireError.binaryFrameMessage, reason: "binary") }
        let frame: ClientFrame
        do throws(WireError) {
            frame = try ClientFrame.parse(data.readableBytesView)
        } catch {
            return reject(error.message, reason: "invalid_frame")
        }
        do {
            switch frame {
            case .send(let text, let claimed, let clientMessageID):
                if let claimed, claimed.lowercased() != username.lowercased() {
                    return reject(ClientFrame.usernameMismatchMessage, reason: "username_mismatch")
                }
                switch try await services.send(by: user, room: room, text: text, clientMessageID: clientMessageID, via: session) {
                case .sent, .duplicate(_, acknowledged: true):
                    break
                case .duplicate(let stored, acknowledged: false):
                    let bytes = services.core.read { ServerFrame.encodedMessage(stored, username: $0.user(stored.sender)?.username ?? "", roomName: $0.room(stored.room)?.name ?? "") }
                    services.core.connections.send(.frame(ByteBuffer(bytes: bytes)), to: session)
                case .refused(let error):
                    reject(error.message, reason: error.status == .tooManyRequests ? "rate_limited" : "rejected")
                }
            case .typing(let isTyping):
                if case .failure(let rejection) = try await services.execute(.typing(by: user, room: room, isTyping: isTyping)) {
                    reject(rejection.message, reason: "rejected")
                }
            }
        } catch {
            reject(error.message, reason: "unavailable")
        }
    }

    /// Answers the sender with an error frame, in order with its other frames.
    private func reject(_ message: String, reason: String) {
        services.metrics.rejectedFrame(reason: reason)
        services.core.connections.send(.frame(FrameRenderer.buffer(.error(message))), to: session)
    }
}

/// Whether a data message is text or binary.
enum WebSocketOpcode: Equatable, Sendable {
    case text
    case binary
}
