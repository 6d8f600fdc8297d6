import ChatEngine
import ChatProtocol
import ChatService
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
        case open(any ChatSocket)
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
            session: services.chat.newSession(), channel: channel,
            limit: services.configuration.outboundQueueLimit,
            onCutOff: { metrics.slowConsumers.increment() }
        )
        services.connections.add(connection)
        channel.closeFuture.whenComplete { [self] _ in ended() }
    }

    var session: SessionID { connection.session }

    /// Opens the socket through the service (origin, token, engine session, subscription);
    /// returns once that is stored or the socket is refused (its error frame and 44xx close are
    /// then queued), so that the handshake is answered with the socket already in its room.
    func open() async {
        let opened: (any ChatSocket)? = switch request {
        case .seed(let request): await services.chat.openSeedSocket(request, session: session)
        case .v1(let request): await services.chat.openV1Socket(request, session: session)
        }
        guard let socket = opened else {
            return state.withLock { state in
                if case .opening = state.phase { state.phase = .refused }
            }
        }
        let isOpen = state.withLock { state -> Bool in
            guard case .opening = state.phase else { return false }
            state.phase = .open(socket)
            return true
        }
        // The connection ended while the session was being opened.
        if !isOpen { await socket.close() }
    }

    /// Takes a complete data message (on the event loop). It is handled at once when the socket
    /// is open and nothing is ahead of it. Returns false when the socket should stop reading:
    /// too many messages wait; it is resumed once they are handled.
    func receive(_ message: Message) -> Bool {
        let (socket, keepReading) = state.withLock { state -> ((any ChatSocket)?, Bool) in
            guard case .open(let socket) = state.phase else { return (nil, true) }
            if !state.isBusy, state.messages.isEmpty {
                state.isBusy = true
                return (socket, true)
            }
            state.messages.append(message)
            if state.messages.count >= Self.maxWaitingMessages { state.isPaused = true }
            return (nil, !state.isPaused)
        }
        if let socket { handle(from: message, with: socket) }
        return keepReading
    }

    /// Handles `message` and those waiting behind it, in order, until none is left; a message
    /// with a step to await (a store lookup) continues in a task.
    private func handle(from message: Message, with socket: any ChatSocket) {
        var next: Message? = message
        while let message = next {
            let pending: ChatSocketStep?
            if message.isText {
                pending = socket.receive(text: message.data.readableBytesView)
            } else {
                socket.receiveBinary()
                pending = nil
            }
            if let pending {
                Task {
                    await pending()
                    if let message = self.takeNext() { self.handle(from: message, with: socket) }
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
        services.metrics.frameRefused(reason: "too_large")
        let message = "Message is larger than \(limit) bytes"
        let frame = switch request {
        case .seed: ServerFrame.error(message).encoded()
        case .v1: V1ServerFrame.error(id: nil, code: "too_large", message: message).encoded()
        }
        connection.enqueue(.close(ByteBuffer(bytes: frame), code: 1009))
    }

    /// The socket is gone: it leaves the registry and its engine session is closed.
    func ended() {
        services.connections.remove(session)
        let open = state.withLock { state -> (any ChatSocket)? in
            defer {
                state.phase = .ended
                state.messages = []
            }
            if case .open(let socket) = state.phase { return socket }
            return nil
        }
        if let open { Task { await open.close() } }
    }
}
