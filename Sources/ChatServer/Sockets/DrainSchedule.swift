import NIOCore

/// Sockets that were given frames and must be drained, grouped by event loop: a fan-out to many
/// sockets becomes one task per event loop that writes and flushes each of them, instead of one
/// task per socket.
struct DrainSchedule {
    private var groups: [(loop: any EventLoop, connections: [SocketConnection])] = []

    /// Adds a socket to drain.
    mutating func add(_ connection: SocketConnection) {
        if let index = groups.firstIndex(where: { $0.loop === connection.eventLoop }) {
            groups[index].connections.append(connection)
        } else {
            groups.append((connection.eventLoop, [connection]))
        }
    }

    /// Drains every added socket on its event loop.
    func run() {
        for group in groups {
            let connections = group.connections
            group.loop.execute {
                for connection in connections { connection.drain() }
            }
        }
    }
}
