import ChatFixtures
import Foundation
import NIOCore
import NIOPosix
import NIOWebSocket
import Synchronization

/// One socket of a live replay or exploration: swift-nio performs the upgrade and the framing
/// (`NIOWebSocketClientUpgrader`, `WebSocketFrameDecoder`/`Encoder`); JSON text frames land in a
/// list and the close code is kept. The client closes politely (a close frame, then waits for
/// the server's), or drops its connection without one, as a client whose network went away.
final class LiveSocket: Sendable {
    private struct State {
        var frames: [FixtureValue] = []
        var closeCode: Int?
        var channel: (any Channel)?
        /// The client dropped the connection: its end is not a frame it received.
        var dropped = false
        /// The client sent its close frame: the server's is the answer, not to be answered.
        var closing = false
        var pongs = 0
    }

    private let state = Mutex(State())

    /// Connects to `url` (`ws://host:port/path`) with `token`; returns once the server switched
    /// protocols, or refused to (then the socket is closed: `{"closed": 1006}`).
    static func connect(url: String, token: String) async throws -> LiveSocket {
        guard let components = URLComponents(string: url), let host = components.host, let port = components.port else {
            throw LoadError("not a socket URL: \(url)")
        }
        let path = components.percentEncodedPath + (components.percentEncodedQuery.map { "?\($0)" } ?? "")
        let socket = LiveSocket()
        let group = MultiThreadedEventLoopGroup.singleton
        let opened = group.any().makePromise(of: Bool.self)
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = LiveSocketHandler(socket: socket, opened: opened)
                    try WebSocketUpgradeRequester.configure(
                        channel, handler: handler, path: path, host: host, port: port, token: token,
                        onFailure: { _ in opened.succeed(false) }
                    )
                }
            }
            .connect(host: host, port: port).get()
        socket.state.withLock { $0.channel = channel }
        if try await !opened.futureResult.get() {
            channel.close(promise: nil)
            socket.ended(code: 1_006, frame: true)
        }
        return socket
    }

    var closeCode: Int? { state.withLock { $0.closeCode } }

    /// How many frames not of the `ignoring` types were received since the last ``take()``.
    func count(ignoring: Set<String>) -> Int {
        state.withLock { state in state.frames.count { !ignoring.contains($0["type"]?.string ?? "") } }
    }

    /// The frames received since the last call.
    func take() -> [FixtureValue] {
        state.withLock { state in
            defer { state.frames = [] }
            return state.frames
        }
    }

    func send(_ payload: SocketPayload) async throws {
        let frame: WebSocketFrame = switch payload {
        case .json(let value): Self.frame(.text, Array(value.jsonText.utf8))
        case .text(let text): Self.frame(.text, Array(text.utf8))
        case .textBytes(let bytes): Self.frame(.text, bytes)
        case .binary(let bytes): Self.frame(.binary, bytes)
        }
        try await write(frame)
    }

    /// Waits (up to `patience`) until the server has read everything this socket sent before
    /// and answered a ping, or closed the socket: whatever the server does on opening a socket
    /// (refusing it, say) has arrived by then.
    func barrier(patience: Duration) async throws {
        let before = state.withLock { $0.pongs }
        try? await write(Self.frame(.ping, []))
        let deadline = ContinuousClock.now + patience
        while ContinuousClock.now < deadline, state.withLock({ $0.pongs == before && $0.closeCode == nil }) {
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    /// Closes politely: a close frame (1000), then the server's answer and the end of the
    /// connection (or, after 5 s, the connection closed anyway).
    func close() async {
        guard let channel = state.withLock({ state -> (any Channel)? in
            guard state.closeCode == nil else { return nil }
            state.closing = true
            return state.channel
        }) else { return }
        var code = ByteBuffer()
        code.writeInteger(UInt16(1_000))
        try? await channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: code))
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline, closeCode == nil {
            try? await Task.sleep(for: .milliseconds(1))
        }
        try? await channel.close()
    }

    /// Drops the connection without a close frame, as a client whose network went away.
    func drop() async {
        guard let channel = state.withLock({ state -> (any Channel)? in
            state.dropped = true
            return state.channel
        }) else { return }
        try? await channel.close()
    }

    /// Cuts the connection as a dying server does: it ends without a close frame, and the
    /// client sees that (`{"closed": 1006}`), unlike its own ``drop()``.
    func cutOff() async {
        guard let channel = state.withLock({ $0.channel }) else { return }
        try? await channel.close()
    }

    // MARK: From the channel

    fileprivate func received(_ frame: FixtureValue) {
        state.withLock { $0.frames.append(frame) }
    }

    /// Whether the client sent its close frame.
    fileprivate var isClosing: Bool { state.withLock { $0.closing } }

    fileprivate func ponged() {
        state.withLock { $0.pongs += 1 }
    }

    /// The connection ended with `code`; `frame` says whether the end shows as a received
    /// `{"closed": code}` (not for a normal close, nor after the client's own drop).
    fileprivate func ended(code: Int, frame: Bool) {
        state.withLock { state in
            guard state.closeCode == nil else { return }
            state.closeCode = code
            if frame, code != 1_000, !state.dropped { state.frames.append(.object(["closed": .number(Double(code))])) }
        }
    }

    private func write(_ frame: WebSocketFrame) async throws {
        guard let channel = state.withLock({ $0.closeCode == nil ? $0.channel : nil }) else { return }
        try await channel.writeAndFlush(frame)
    }

    private static func frame(_ opcode: WebSocketOpcode, _ bytes: [UInt8]) -> WebSocketFrame {
        WebSocketFrame(fin: true, opcode: opcode, maskKey: .random(), data: ByteBuffer(bytes: bytes))
    }
}

/// A live socket's end of the channel, on its event loop: reassembles text messages, answers
/// pings, and answers and records the server's close.
private final class LiveSocketHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let socket: LiveSocket
    private let opened: EventLoopPromise<Bool>
    private var fragments: [UInt8]?

    init(socket: LiveSocket, opened: EventLoopPromise<Bool>) {
        self.socket = socket
        self.opened = opened
    }

    func handlerAdded(context: ChannelHandlerContext) {
        opened.succeed(true)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            fragments = Array(buffer: frame.unmaskedData)
            if frame.fin { finishText() }
        case .continuation:
            fragments? += Array(buffer: frame.unmaskedData)
            if frame.fin { finishText() }
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .pong:
            socket.ponged()
        case .connectionClose:
            var payload = frame.unmaskedData
            let code = payload.readInteger(as: UInt16.self).map(Int.init) ?? 1_005
            socket.ended(code: code, frame: true)
            guard !socket.isClosing else {
                context.close(promise: nil)
                return
            }
            // Answer the close (RFC 6455 §5.5.1); the server then ends the connection (§7.1.1).
            let answer = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(answer), promise: nil)
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        // Without a close frame: the server went away (killed) or the client dropped.
        socket.ended(code: 1_006, frame: true)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func finishText() {
        guard let bytes = fragments else { return }
        fragments = nil
        if let value = FixtureValue.parse(bytes) { socket.received(value) }
    }
}
