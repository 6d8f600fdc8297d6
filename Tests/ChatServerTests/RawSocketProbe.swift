import NIOWebSocket

/// Opens a socket with a hand-made handshake and reads what the server sends until it closes.
///
/// The WebSocket client library can drop frames that arrive in the same TCP read as the
/// `101 Switching Protocols` response (a known client-side race), and it always sends its own
/// `Origin`. A refused socket gets its error frame and close frame at once, so tests of refusals
/// read the wire instead (``RawClient``).
enum RawSocketProbe {
    /// What the server sent on the socket.
    struct Result {
        var status: Int
        var texts: [String] = []
        var closeCode: Int?
        /// Pings the server sent (the probe never answers them).
        var pings = 0
        /// The server ended the connection (rather than the probe's 5 s read timeout).
        var closedByServer = false
    }

    static func open(port: Int, path: String, headers: [String: String] = [:]) async throws -> Result {
        try await RawClient.run {
            let client = try RawClient(port: port)
            var result = Result(status: try client.upgrade(path, headers: headers))
            guard result.status == 101 else { return result }
            reading: while let frame = client.nextFrame() {
                switch frame.opcode {
                case .text: result.texts.append(frame.text)
                case .ping: result.pings += 1
                case .connectionClose:
                    result.closeCode = frame.closeCode
                    break reading
                default: continue
                }
            }
            result.closedByServer = client.isClosedByServer
            return result
        }
    }
}
