import ChatEngine

/// The other nodes' sessions as this node's engine holds them: each under a session id of this
/// node's own numbering.
struct RemoteSessions: Sendable {
    private struct Key: Hashable {
        let node: String
        let session: Int64
    }

    private var sessions: [Key: SessionID] = [:]
    private var byNode: [String: Set<Int64>] = [:]

    /// The nodes with sessions here.
    var nodes: [String] { byNode.keys.sorted() }

    /// This engine's id for `node`'s `session`, if it holds it.
    func session(_ node: String, _ session: Int64) -> SessionID? {
        sessions[Key(node: node, session: session)]
    }

    /// Records `node`'s `session` as `local`.
    mutating func add(_ node: String, _ session: Int64, as local: SessionID) {
        sessions[Key(node: node, session: session)] = local
        byNode[node, default: []].insert(session)
    }

    /// Forgets `node`'s `session`; returns its id here.
    mutating func remove(_ node: String, _ session: Int64) -> SessionID? {
        byNode[node]?.remove(session)
        if byNode[node]?.isEmpty == true { byNode[node] = nil }
        return sessions.removeValue(forKey: Key(node: node, session: session))
    }

    /// Forgets every session of `node`; returns their ids here.
    mutating func removeAll(of node: String) -> [SessionID] {
        let all = byNode.removeValue(forKey: node) ?? []
        return all.sorted().compactMap { sessions.removeValue(forKey: Key(node: node, session: $0)) }
    }
}
