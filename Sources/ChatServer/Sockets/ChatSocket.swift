import ChatEngine
import ChatProtocol
import ChatStore
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket

/// The seed's sockets: `/ws/chat/<room>/`, `/ws/chat/group/<room>/`, `/ws/private/<username>/`.
///
/// Every upgrade is accepted; a socket that may not open gets an error frame and a close code
/// of 4000 + the HTTP status it stands for (browsers can read close codes, not handshake
/// statuses).
struct ChatSocket {
    let services: ServerServices

    func add(to router: Router<ChatRequestContext>) {
        router.ws("ws/chat/group/{room}") { _, _ in .upgrade([:]) } onUpgrade: { inbound, outbound, context in
            await serve(.group(named: context.requestContext.parameters.get("room") ?? ""), inbound, outbound, context)
        }
        router.ws("ws/chat/{room}") { _, _ in .upgrade([:]) } onUpgrade: { inbound, outbound, context in
            await serve(.named(context.requestContext.parameters.get("room") ?? ""), inbound, outbound, context)
        }
        router.ws("ws/private/{username}") { _, _ in .upgrade([:]) } onUpgrade: { inbound, outbound, context in
            await serve(.privateWith(username: context.requestContext.parameters.get("username") ?? ""), inbound, outbound, context)
        }
    }

    private func serve(
        _ address: RoomAddress, _ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter,
        _ context: WebSocketRouterContext<ChatRequestContext>
    ) async {
        let request = context.request
        if let origin = request.headers[.origin], !OriginPolicy(allowed: services.configuration.allowedOrigins).allows(origin: origin, host: request.head.authority) {
            return await refuse(outbound, status: 403, message: "Origin not allowed")
        }
        guard let token = Authenticator.socketToken(in: request),
              let user = try? await services.tokens.user(for: token, at: WallClock.now())
        else {
            return await refuse(outbound, status: 401, message: APIError.notAuthenticated)
        }
        let session = services.core.connections.nextSessionID()
        let channel = context.requestContext.channel
        let metrics = services.metrics
        let connection = SocketConnection(session: session, limit: services.configuration.outboundQueueLimit) {
            // Too slow: queue a 1008 close behind what NIO still holds (a reader that wakes up
            // within the grace period learns why), then drop the connection either way.
            metrics.slowConsumers.increment()
            var reason = ByteBuffer()
            reason.writeInteger(UInt16(1008))
            reason.writeString("Too slow to read")
            channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, data: reason), promise: nil)
            channel.eventLoop.scheduleTask(in: .seconds(2)) { channel.close(promise: nil) }
        }
        services.core.connections.add(connection)
        defer { services.core.connections.remove(session) }
        let room: RoomID
        do {
            _ = try await services.core.execute(.openSession(session, user: user))
            switch try await services.core.execute(.subscribe(session, to: address)) {
            case .success(.room(let subscribed)):
                room = subscribed.id
            case .success:
                return await refuse(outbound, status: 500, message: "Unexpected reply")
            case .failure(let rejection):
                _ = try? await services.core.execute(.closeSession(session))
                return await refuse(outbound, status: Int(APIError.status(of: rejection).code), message: rejection.message)
            }
        } catch {
            return await refuse(outbound, status: 503, message: APIError.storageUnavailable)
        }

        let username = services.core.read { $0.user(user)?.username ?? "" }
        let reader = SocketReader(services: services, user: user, username: username, room: room, session: session, maxMessage: services.configuration.maxSocketMessage)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await Self.write(connection, to: outbound, channel: channel) }
            await reader.read(inbound)
            _ = try? await services.core.execute(.closeSession(session))
            connection.finish()
        }
    }

    /// Drains the connection's queue onto the socket a batch at a time: every frame of a batch
    /// is written to the channel and flushed once (one syscall for many frames, as STACK-NOTES
    /// measured), and the next batch waits until this one reached the kernel, so a reader that
    /// does not read makes the queue, not NIO's buffers, grow until it is cut off.
    private static func write(_ connection: SocketConnection, to outbound: WebSocketOutboundWriter, channel: any Channel) async {
        do {
            while true {
                let batch = await connection.nextBatch()
                if batch.isEmpty { return }
                var closeCode: UInt16?
                var frames: [ByteBuffer] = []
                frames.reserveCapacity(batch.count)
                for item in batch {
                    switch item {
                    case .frame(let buffer):
                        frames.append(buffer)
                    case .close(let buffer, let code):
                        if let buffer { frames.append(buffer) }
                        closeCode = code
                    }
                    if closeCode != nil { break }
                }
                if let last = frames.popLast() {
                    for frame in frames {
                        channel.write(WebSocketFrame(fin: true, opcode: .text, data: frame), promise: nil)
                    }
                    try await channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .text, data: last)).get()
                }
                if let closeCode {
                    try await outbound.close(WebSocketErrorCode(codeNumber: Int(closeCode)), reason: nil)
                    return
                }
            }
        } catch {
            // The socket is gone; the reader ends too.
        }
    }

    /// An error frame, then a close with 4000 + `status`.
    private func refuse(_ outbound: WebSocketOutboundWriter, status: Int, message: String) async {
        try? await outbound.write(.custom(WebSocketFrame(fin: true, opcode: .text, data: FrameRenderer.buffer(.error(message)))))
        try? await outbound.close(WebSocketErrorCode(codeNumber: 4000 + status), reason: nil)
    }
}
