import ChatEngine
import NIOCore
import Synchronization

/// One socket's life in the chat: opening it (origin, token, engine session, subscription)
/// before its handshake is answered, its messages handled one at a time in arrival order, and
/// its end.
///
/// No task is kept per socket: opening runs while the upgrade waits, messages are handed to the
/// engine on the event loop as they arrive (a task is started only for a retry that needs a
/// store lookup), so an idle socket costs memory, not a suspended task.
///
/// A socket is in the connection registry from the moment its upgrade request is read, and in
/// its room (engine session opened and subscribed) before the `101 Switching Protocols` goes
/// out: a message accepted once the client sees the handshake complete reaches it. Frames for
/// it wait in its queue until its handler is in the pipeline.
///
/// Every upgrade on a socket path is accepted; a socket that may not open gets an error frame
/// and a close code of 4000 + the HTTP status it stands for (browsers can read close codes, not
/// handshake statuses).
final class SocketSession: Sendable {
    /// A complete data message from the client.
    struct Message: Sendable {
        /// A text message (else binary).
        let isText: Bool
        var data: ByteBuffer
    }

    private enum Phase {
        case opening
        case open(SocketReader)
        /// Refused while opening: an error frame and a 44xx close are queued.
        case refused
        case ended
    }

    private struct State {
        var phase = Phase.opening
        var messages: [Message] = []
        /// A message is being handled; the others wait in `messages`.
        var isBusy = false
        /// The socket stopped reading because too many messages wait.
        var isPaused = false
    }

    /// Messages that may wait before the socket stops reading from the client.
    static let maxWaitingMessages = 32

    let services: ServerServices
    let request: SocketRequest
    let connection: SocketConnection
    private let state = Mutex(State())

    /// Registers the socket (its frames queue from now on) and makes its end, whenever the
    /// channel closes, close its engine session.
    init(services: ServerServices, request: SocketRequest, channel: any Channel) {
        self.services = services
        self.request = request
        let metrics = services.metrics
        connection = SocketConnection(
            session: services.core.connections.nextSessionID(), channel: channel,
            limit: services.configuration.outboundQueueLimit,
            onCutOff: { metrics.slowConsumers.increment() }
        )
        services.core.connections.add(connection)
        channel.closeFuture.whenComplete { [self] _ in ended() }
    }

    var session: SessionID { connection.session }

    /// Checks the origin and the token, opens the engine session and subscribes it to the room;
    /// returns once that is stored (or the socket is refused), so that the handshake is answered
    /// with the socket already in its room.
    func open() async {
        if let origin = request.origin, !OriginPolicy(allowed: services.configuration.allowedOrigins).allows(origin: origin, host: request.host) {
            return refuse(status: 403, message: "Origin not allowed")
        }
        guard let token = request.token, let user = try? await services.tokens.user(for: token, at: services.clock.now()) else {
            return refuse(status: 401, message: APIError.notAuthenticated)
        }
        let room: RoomID
        do {
            _ = try await services.core.execute(.openSession(session, user: user))
            switch try await services.core.execute(.subscribe(session, to: request.address)) {
            case .success(.room(let subscribed)):
                room = subscribed.id
            case .success:
                _ = try? await services.core.execute(.closeSession(session))
                return refuse(status: 500, message: "Unexpected reply")
            case .failure(let rejection):
                _ = try? await services.core.execute(.closeSession(session))
                return refuse(status: Int(APIError.status(of: rejection).code), message: rejection.message)
            }
        } catch {
            return refuse(status: 503, message: APIError.storageUnavailable)
        }
        let username = services.core.read { $0.user(user)?.username ?? "" }
        let reader = SocketReader(services: services, user: user, username: username, room: room, session: session)
        let isOpen = state.withLock { state -> Bool in
            guard case .opening = state.phase else { return false }
            state.phase = .open(reader)
            return true
        }
        if !isOpen {
            // The connection ended while the session was being opened.
            _ = try? await services.core.execute(.closeSession(session))
        }
    }

    /// Takes a complete data message (on the event loop). It is handled at once when the socket
    /// is open and nothing is ahead of it. Returns false when the socket should stop reading:
    /// too many messages wait; it is resumed once they are handled.
    func receive(_ message: Message) -> Bool {
        let (reader, keepReading) = state.withLock { state -> (SocketReader?, Bool) in
            guard case .open(let reader) = state.phase else { return (nil, true) }
            if !state.isBusy, state.messages.isEmpty {
                state.isBusy = true
                return (reader, true)
            }
            state.messages.append(message)
            if state.messages.count >= Self.maxWaitingMessages { state.isPaused = true }
            return (nil, !state.isPaused)
        }
        if let reader { handle(from: message, with: reader) }
        return keepReading
    }

    /// Handles `message` and those waiting behind it, in order, until none is left; a message
    /// with a step to await (a store lookup) continues in a task.
    private func handle(from message: Message, with reader: SocketReader) {
        var next: Message? = message
        while let message = next {
            if let pending = reader.handle(message) {
                Task {
                    await pending()
                    if let message = self.takeNext() { self.handle(from: message, with: reader) }
                }
                return
            }
            next = takeNext()
        }
    }

    /// The next waiting message (the socket stays busy), or nil (it is idle). A paused socket
    /// reads again once few messages wait.
    private func takeNext() -> Message? {
        let (message, resume) = state.withLock { state -> (Message?, Bool) in
            guard !state.messages.isEmpty else {
                state.isBusy = false
                return (nil, false)
            }
            state.isBusy = true
            let resume = state.isPaused && state.messages.count <= Self.maxWaitingMessages / 2
            if resume { state.isPaused = false }
            return (state.messages.removeFirst(), resume)
        }
        if resume { connection.channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in } }
        return message
    }

    /// A message over the size limit: an error frame, then a close with 1009.
    func refuseOversized(limit: Int) {
        services.metrics.rejectedFrame(reason: "too_large")
        connection.enqueue(.close(FrameRenderer.buffer(.error("Message is larger than \(limit) bytes")), code: 1009))
    }

    /// The socket is gone: it leaves the registry and its engine session is closed.
    func ended() {
        services.core.connections.remove(session)
        let wasOpen = state.withLock { state -> Bool in
            defer {
                state.phase = .ended
                state.messages = []
            }
            if case .open = state.phase { return true }
            return false
        }
        if wasOpen {
            let core = services.core
            let session = session
            Task { _ = try? await core.execute(.closeSession(session)) }
        }
    }

    /// An error frame, then a close with 4000 + `status`.
    private func refuse(status: Int, message: String) {
        state.withLock { state in
            if case .opening = state.phase { state.phase = .refused }
        }
        connection.enqueue(.close(FrameRenderer.buffer(.error(message)), code: UInt16(4000 + status)))
    }
}
