import ChatEngine

/// What the names of a run stand for while it runs: open sessions (sockets) with their user
/// and, for a seed socket, its room; the messages each send's label named.
struct Names {
    /// An open socket's engine session.
    struct Session {
        let id: SessionID
        let user: UserID
        /// The room of a seed socket; nil for a v1 socket.
        var seedRoom: RoomID?
    }

    /// Open sockets by name.
    private(set) var sessions: [String: Session] = [:]
    /// The names of the open sockets, in a deterministic order (a closed one's place goes to the last).
    private(set) var openNames: [String] = []
    private var positions: [String: Int] = [:]
    /// The name of every session ever opened.
    private(set) var sessionNames: [SessionID: String] = [:]
    /// The room of every seed socket ever opened.
    private(set) var seedRooms: [SessionID: RoomID] = [:]
    /// Each label's message, by room and seq.
    private(set) var messages: [String: (room: RoomID, seq: Int64)] = [:]
    /// Each labelled message's label.
    private(set) var labels: [MessageID: String] = [:]
    /// Whether a v1 subscription was answered, so a client knows the store's epoch to resume with.
    var epochKnown = false
    private var lastSession: Int64 = 0

    /// Opens socket `name` of `user` under a new session id.
    mutating func open(_ name: String, user: UserID) -> SessionID {
        lastSession += 1
        let id = SessionID(lastSession)
        sessions[name] = Session(id: id, user: user)
        sessionNames[id] = name
        positions[name] = openNames.count
        openNames.append(name)
        return id
    }

    /// Socket `name` is a seed socket in `room`.
    mutating func setSeedRoom(_ name: String, _ room: RoomID) {
        guard let session = sessions[name] else { return }
        sessions[name]?.seedRoom = room
        seedRooms[session.id] = room
    }

    /// Socket `name` is closed.
    mutating func close(_ name: String) {
        sessions[name] = nil
        guard let position = positions.removeValue(forKey: name) else { return }
        let last = openNames.removeLast()
        if last != name {
            openNames[position] = last
            positions[last] = position
        }
    }

    /// Every socket is closed; returns their sessions, ascending.
    mutating func closeAll() -> [SessionID] {
        defer {
            sessions = [:]
            openNames = []
            positions = [:]
        }
        return sessions.values.map(\.id).sorted()
    }

    /// Labels `message` (the first label a message gets stays).
    mutating func label(_ label: String, _ message: Message) {
        guard messages[label] == nil else { return }
        messages[label] = (message.room, message.seq)
        if labels[message.id] == nil { labels[message.id] = label }
    }
}
