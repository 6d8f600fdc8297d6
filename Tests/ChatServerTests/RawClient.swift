import Foundation
import NIOCore
import NIOEmbedded
import NIOWebSocket
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP client for tests that need the wire itself: HTTP requests and a WebSocket
/// handshake on one keep-alive connection, frames the WebSocket client library would refuse to
/// send (reserved bits and opcodes, broken UTF-8, odd close payloads), and steps with no task hop
/// between them. Frames are encoded and decoded by NIO's own WebSocket codec.
///
/// Blocking calls run on a thread of their own (``run(_:)``), off Swift's cooperative pool, which
/// the server under test needs.
final class RawClient {
    /// A frame the server sent.
    struct Frame: Equatable {
        let opcode: WebSocketOpcode
        let fin: Bool
        let payload: [UInt8]

        var text: String { String(decoding: payload, as: UTF8.self) }
        /// A close frame's code.
        var closeCode: Int? { opcode == .connectionClose && payload.count >= 2 ? Int(payload[0]) << 8 | Int(payload[1]) : nil }
        /// A close frame's reason.
        var closeReason: String { String(decoding: payload.dropFirst(2), as: UTF8.self) }
    }

    /// An HTTP response.
    struct Response {
        let status: Int
        let headers: [String: String]
        let body: String
    }

    enum Failure: Error { case socket, connect, closed, malformedResponse }

    private let fd: Int32
    let port: Int
    /// Bytes read from the socket and not yet consumed.
    private var pending: [UInt8] = []
    /// The server closed the TCP connection (a read found its end, rather than timing out).
    private(set) var isClosedByServer = false
    private let encoder = EmbeddedChannel(handler: WebSocketFrameEncoder())
    private let decoder = EmbeddedChannel(handler: ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: 1 << 24)))

    /// Runs `body` with nothing but blocking calls, on a thread of its own.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    /// Connects to the server on loopback; reads give up after `timeout` seconds.
    init(port: Int, timeout: Int = 5) throws {
        self.port = port
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure.socket }
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var noDelay: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw Failure.connect
        }
    }

    deinit {
        close(fd)
        _ = try? encoder.finish()
        _ = try? decoder.finish()
    }

    /// Writes bytes as they are.
    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBufferPointer { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return }
            offset += written
        }
    }

    /// Sends an HTTP/1.1 request and reads its response (which must have a `Content-Length`).
    func request(_ method: String, _ path: String, token: String? = nil, json: String? = nil) throws -> Response {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        let body = Array((json ?? "").utf8)
        if json != nil { head += "Content-Type: application/json\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        write(Array(head.utf8) + body)
        return try response()
    }

    /// Reads an HTTP response (which must have a `Content-Length`).
    func response() throws -> Response {
        let (status, headers) = try readHead()
        let length = Int(headers["content-length"] ?? "0") ?? 0
        try fill(length)
        let bytes = Array(pending.prefix(length))
        pending.removeFirst(length)
        return Response(status: status, headers: headers, body: String(decoding: bytes, as: UTF8.self))
    }

    /// Sends a WebSocket upgrade request for `path` and reads the response's head; returns its
    /// status (101 when upgraded). Frames the server sends right behind it stay buffered.
    func upgrade(_ path: String, headers: [String: String] = [:]) throws -> Int {
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        write(Array((request + "\r\n").utf8))
        return try readHead().status
    }

    /// Sends one frame as a client does (masked), encoded by NIO exactly as given.
    func send(_ opcode: WebSocketOpcode, fin: Bool = true, rsv1: Bool = false, rsv2: Bool = false, rsv3: Bool = false, _ payload: [UInt8]) throws {
        let frame = WebSocketFrame(
            fin: fin, rsv1: rsv1, rsv2: rsv2, rsv3: rsv3, opcode: opcode,
            maskKey: WebSocketMaskingKey([0x11, 0x22, 0x33, 0x44]), data: ByteBuffer(bytes: payload)
        )
        try encoder.writeOutbound(frame)
        while let part = try encoder.readOutbound(as: ByteBuffer.self) {
            write(Array(part.readableBytesView))
        }
    }

    /// Sends a text frame.
    func send(text: String) throws {
        try send(.text, Array(text.utf8))
    }

    /// Sends a close frame with `code` and then `reason` bytes (or an exact payload).
    func sendClose(payload: [UInt8]) throws {
        try send(.connectionClose, payload)
    }

    /// The next frame from the server; nil when the connection ends or nothing comes within the
    /// read timeout.
    func nextFrame() -> Frame? {
        while true {
            if let frame = try? decoder.readInbound(as: WebSocketFrame.self) {
                return Frame(opcode: frame.opcode, fin: frame.fin, payload: Array(frame.unmaskedData.readableBytesView))
            }
            if !pending.isEmpty {
                let bytes = pending
                pending = []
                guard (try? decoder.writeInbound(ByteBuffer(bytes: bytes))) != nil else { return nil }
                continue
            }
            guard readMore() else { return nil }
        }
    }

    /// The next text frame, skipping pings and pongs; nil at a close frame, the end of the
    /// connection or the read timeout.
    func nextText() -> String? {
        while let frame = nextFrame() {
            switch frame.opcode {
            case .text: return frame.text
            case .connectionClose: return nil
            default: continue
            }
        }
        return nil
    }

    /// Frames until the server's close frame (included) or the end of the connection.
    func framesUntilClose() -> [Frame] {
        var frames: [Frame] = []
        while let frame = nextFrame() {
            frames.append(frame)
            if frame.opcode == .connectionClose { break }
        }
        return frames
    }


    private func readHead() throws -> (status: Int, headers: [String: String]) {
        let separator: [UInt8] = [13, 10, 13, 10]
        while true {
            if pending.count >= 4, let end = (0...(pending.count - 4)).first(where: { Array(pending[$0..<$0 + 4]) == separator }) {
                let lines = String(decoding: pending[..<end], as: UTF8.self).components(separatedBy: "\r\n")
                pending.removeFirst(end + 4)
                guard let status = lines.first.flatMap({ Int($0.split(separator: " ").dropFirst().first ?? "") }) else { throw Failure.malformedResponse }
                var headers: [String: String] = [:]
                for line in lines.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                return (status, headers)
            }
            guard readMore() else { throw Failure.closed }
        }
    }

    private func fill(_ count: Int) throws {
        while pending.count < count {
            guard readMore() else { throw Failure.closed }
        }
    }

    private func readMore() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = recv(fd, &buffer, buffer.count, 0)
        if count == 0 { isClosedByServer = true }
        guard count > 0 else { return false }
        pending += buffer[0..<count]
        return true
    }
}
