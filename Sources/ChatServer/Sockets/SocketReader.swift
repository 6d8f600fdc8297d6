import ChatEngine
import ChatProtocol
import HummingbirdWebSocket
import NIOCore

/// Reads one seed socket's frames and turns them into commands. A frame that is rejected gets
/// an error frame back and the socket stays open; only an oversized message closes it (1009).
struct SocketReader {
    let services: ServerServices
    let user: UserID
    let username: String
    let room: RoomID
    let session: SessionID
    let maxMessage: Int

    /// Reads until the client closes or the connection ends.
    func read(_ inbound: WebSocketInboundStream) async {
        var iterator = inbound.makeAsyncIterator()
        var message: (opcode: WebSocketOpcode, data: ByteBuffer)?
        do {
            while let frame = try await iterator.next() {
                switch frame.opcode {
                case .continuation:
                    guard message != nil else { continue }
                    var data = frame.data
                    message!.data.writeBuffer(&data)
                default:
                    message = (WebSocketOpcode(frame.opcode), frame.data)
                }
                guard let current = message else { continue }
                if current.data.readableBytes > maxMessage {
                    reject("Message is larger than \(maxMessage) bytes", reason: "too_large")
                    services.core.connections.send(.close(nil, code: 1009), to: session)
                    return
                }
                guard frame.fin else { continue }
                message = nil
                await handle(current.opcode, current.data)
            }
        } catch {
            // The connection ended.
        }
    }

    private func handle(_ opcode: WebSocketOpcode, _ data: ByteBuffer) async {
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
enum WebSocketOpcode: Equatable {
    case text
    case binary

    init(_ opcode: WebSocketDataFrame.Opcode) {
        self = opcode == .binary ? .binary : .text
    }
}
