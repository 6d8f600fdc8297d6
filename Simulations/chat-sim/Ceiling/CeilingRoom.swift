import ChatWire
import NIOConcurrencyHelpers
import NIOCore

/// A room of the ceiling server: its sockets, grouped by event loop, and its last seq. A
/// message is numbered and handed to each loop's outbox under the room's lock, so every socket
/// gets a room's messages in seq order.
final class CeilingRoom: Sendable {
    let id: Int
    let name: String

    private struct State {
        var lastSeq = 0
        /// The room's sockets, by the identity of their event loop.
        var sockets: [ObjectIdentifier: [CeilingSocketHandler]] = [:]
        /// Open sockets per user id.
        var online: [Int: Int] = [:]
    }

    private let state = NIOLockedValueBox(State())

    init(id: Int, name: String) {
        self.id = id
        self.name = name
    }

    /// Adds a socket of user `userID` on `loop`.
    func join(_ socket: CeilingSocketHandler, userID: Int, loop: ObjectIdentifier) {
        state.withLockedValue { state in
            state.sockets[loop, default: []].append(socket)
            state.online[userID, default: 0] += 1
        }
    }

    /// Removes a socket.
    func leave(_ socket: CeilingSocketHandler, userID: Int, loop: ObjectIdentifier) {
        state.withLockedValue { state in
            state.sockets[loop]?.removeAll { $0 === socket }
            state.online[userID, default: 1] -= 1
            if state.online[userID] == 0 { state.online[userID] = nil }
        }
    }

    /// Users with at least one open socket here.
    var onlineUsers: [Int] { state.withLockedValue { Array($0.online.keys).sorted() } }

    /// The last seq handed out (0 before the first message).
    var lastSeq: Int { state.withLockedValue { $0.lastSeq } }

    /// Numbers a message and queues the text frame whose payload `render(id, seq)` makes,
    /// encoded for the wire once, for every socket of the room, on each socket's own loop.
    func publish(hub: CeilingHub, render: (_ id: Int, _ seq: Int) -> ByteBuffer) {
        state.withLockedValue { state in
            state.lastSeq += 1
            guard let frame = WireFrame.text(render(hub.nextMessageID(), state.lastSeq)) else { return }
            for (loop, sockets) in state.sockets where !sockets.isEmpty {
                hub.outboxes[loop]?.enqueue(frame, to: sockets)
            }
        }
    }
}
