import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSClient
import HummingbirdWSTesting
import Logging
import NIOCore
import NIOWebSocket
import Synchronization

/// A WebSocket client for tests: frames arrive in an inbox that a test reads with a timeout.
final class TestSocket: Sendable {
    enum Event: Equatable, Sendable {
        case text(String)
        case closed(code: Int?)
    }

    private let inbox = Inbox()
    private let writer = Mutex<WebSocketOutboundWriter?>(nil)
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// Connects to `path` on a test server; returns once the socket is open (or already closed).
    static func connect(_ api: TestAPI, _ path: String, headers: HTTPFields = [:], readFrames: Bool = true) async throws -> TestSocket {
        try await connect(url: "ws://127.0.0.1:\(api.port)\(path)", headers: headers, readFrames: readFrames)
    }

    /// Connects to `url`; returns once the socket is open (or already closed by the server).
    static func connect(url: String, headers: HTTPFields = [:], readFrames: Bool = true) async throws -> TestSocket {
        let socket = TestSocket()
        let opened = AsyncStream<Void>.makeStream()
        socket.task.withLock {
            $0 = Task {
                do {
                    let close = try await WebSocketClient.connect(
                        url: url, configuration: .init(maxFrameSize: 1 << 20, additionalHeaders: headers),
                        logger: Logger(label: "socket", factory: { _ in SwiftLogNoOpLogHandler() })
                    ) { inbound, outbound, _ in
                        socket.writer.withLock { $0 = outbound }
                        opened.continuation.yield()
                        guard readFrames else {
                            // A client that never reads: park until cancelled.
                            try? await Task.sleep(for: .seconds(3_600))
                            return
                        }
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            if case .text(let text) = message { await socket.inbox.put(.text(text)) }
                        }
                    }
                    await socket.inbox.put(.closed(code: close.map { $0.closeCode.number }))
                } catch {
                    await socket.inbox.put(.closed(code: nil))
                }
                opened.continuation.finish()
            }
        }
        for await _ in opened.stream { break }
        return socket
    }

    /// Sends a text frame.
    func send(_ text: String) async throws {
        try await writer.withLock { $0 }?.write(.text(text))
    }

    /// Sends one frame exactly as given (for fragmentation tests).
    func sendFrame(_ opcode: WebSocketOpcode, fin: Bool = true, bytes: [UInt8]) async throws {
        try await writer.withLock { $0 }?.write(.custom(WebSocketFrame(fin: fin, opcode: opcode, data: ByteBuffer(bytes: bytes))))
    }

    /// Sends a binary frame.
    func sendBinary(_ bytes: [UInt8]) async throws {
        try await writer.withLock { $0 }?.write(.binary(ByteBuffer(bytes: bytes)))
    }

    /// The next event, or `nil` after `timeout`.
    func next(timeout: Duration = .seconds(5)) async -> Event? {
        await inbox.take(timeout: timeout)
    }

    /// The next text frame parsed as a JSON object (skipping nothing), or `nil` after the timeout.
    func nextJSON(timeout: Duration = .seconds(5)) async -> [String: Any]? {
        guard case .text(let text)? = await next(timeout: timeout) else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    }

    /// Waits for the socket to close and returns its close code.
    func closeCode(timeout: Duration = .seconds(5)) async -> Int?? {
        while let event = await next(timeout: timeout) {
            if case .closed(let code) = event { return .some(code) }
        }
        return .none
    }

    /// Whether no frame arrives within `duration`.
    func staysQuiet(for duration: Duration = .milliseconds(300)) async -> Bool {
        await next(timeout: duration) == nil
    }

    /// Closes from the client side.
    func close() async {
        try? await writer.withLock { $0 }?.close(.normalClosure, reason: nil)
        task.withLock { $0 }?.cancel()
    }

    /// Frames in arrival order, handed out one at a time.
    private actor Inbox {
        private var events: [Event] = []
        private var waiter: CheckedContinuation<Event?, Never>?
        private var waiterID = 0

        func put(_ event: Event) {
            if let waiter {
                self.waiter = nil
                waiter.resume(returning: event)
            } else {
                events.append(event)
            }
        }

        func take(timeout: Duration) async -> Event? {
            if !events.isEmpty { return events.removeFirst() }
            waiterID += 1
            let id = waiterID
            return await withCheckedContinuation { continuation in
                waiter = continuation
                Task {
                    try? await Task.sleep(for: timeout)
                    self.expire(id)
                }
            }
        }

        private func expire(_ id: Int) {
            guard id == waiterID, let waiter else { return }
            self.waiter = nil
            waiter.resume(returning: nil)
        }
    }
}

extension WebSocketErrorCode {
    /// The code as a number (NIO only converts the other way).
    var number: Int {
        switch self {
        case .normalClosure: 1000
        case .goingAway: 1001
        case .protocolError: 1002
        case .unacceptableData: 1003
        case .dataInconsistentWithMessage: 1007
        case .policyViolation: 1008
        case .messageTooLarge: 1009
        case .missingExtension: 1010
        case .unexpectedServerError: 1011
        case .unknown(let code): Int(code)
        }
    }
}
