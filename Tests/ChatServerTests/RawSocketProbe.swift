import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Opens a socket with a hand-made handshake and reads what the server sends until it closes.
///
/// The WebSocket client library can drop frames that arrive in the same TCP read as the
/// `101 Switching Protocols` response (a known client-side race), and it always sends its own
/// `Origin`. A refused socket gets its error frame and close frame at once, so tests of refusals
/// read the raw bytes instead: server frames are unmasked, so their header is two bytes (plus
/// two for lengths from 126 to 65 535).
struct RawSocketProbe {
    /// What the server sent on the socket.
    struct Result {
        var status: Int
        var texts: [String]
        var closeCode: Int?
        /// Pings the server sent (the probe never answers them).
        var pings = 0
        /// The server ended the connection (rather than the probe's 5 s read timeout).
        var closedByServer = false
    }

    /// Runs the blocking exchange on its own thread, off Swift's cooperative pool (which the
    /// server under test needs).
    static func open(port: Int, path: String, headers: [String: String] = [:]) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Swift.Result { try exchange(port: port, path: path, headers: headers) })
            }.start()
        }
    }

    private static func exchange(port: Int, path: String, headers: [String: String]) throws -> Result {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ProbeError.socket }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw ProbeError.connect }
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        _ = request.utf8CString.withUnsafeBufferPointer { send(fd, $0.baseAddress, $0.count - 1, 0) }

        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var result = Result(status: 0, texts: [], closeCode: nil)
        while result.closeCode == nil {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 {
                result.closedByServer = count == 0
                break
            }
            bytes += buffer[0..<count]
            result = parse(bytes)
        }
        return result
    }

    private static func parse(_ bytes: [UInt8]) -> Result {
        var result = Result(status: 0, texts: [], closeCode: nil)
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = (0...(max(0, bytes.count - 4))).first(where: { Array(bytes[$0..<min($0 + 4, bytes.count)]) == separator }) else { return result }
        let head = String(decoding: bytes[..<end], as: UTF8.self)
        result.status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        var index = end + 4
        while index + 2 <= bytes.count {
            let opcode = bytes[index] & 0x0F
            var length = Int(bytes[index + 1] & 0x7F)
            var start = index + 2
            if length == 126 {
                guard start + 2 <= bytes.count else { break }
                length = Int(bytes[start]) << 8 | Int(bytes[start + 1])
                start += 2
            }
            guard start + length <= bytes.count else { break }
            let payload = Array(bytes[start..<(start + length)])
            if opcode == 1 { result.texts.append(String(decoding: payload, as: UTF8.self)) }
            if opcode == 9 { result.pings += 1 }
            if opcode == 8, payload.count >= 2 { result.closeCode = Int(payload[0]) << 8 | Int(payload[1]) }
            index = start + length
        }
        return result
    }

    enum ProbeError: Error { case socket, connect }
}
