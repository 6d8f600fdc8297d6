import ChatEngine
import Synchronization

/// Which login token each open socket was opened with, so that logging out closes the token's
/// sockets at once. A socket is added before its token is checked: a logout that revokes the
/// token either finds the socket here or has revoked the token before the check.
final class SocketTokens: Sendable {
    private struct State {
        var sessions: [String: Set<SessionID>] = [:]
        var tokens: [SessionID: String] = [:]
    }

    private let state = Mutex(State())

    /// Records that `session` is opened with `token`.
    func add(_ session: SessionID, token: String) {
        state.withLock { state in
            state.sessions[token, default: []].insert(session)
            state.tokens[session] = token
        }
    }

    /// Forgets `session` (closed, or refused).
    func remove(_ session: SessionID) {
        state.withLock { state in
            guard let token = state.tokens.removeValue(forKey: session) else { return }
            state.sessions[token]?.remove(session)
            if state.sessions[token]?.isEmpty == true { state.sessions[token] = nil }
        }
    }

    /// The tokens of open sockets whose SHA-256 hash is `hash` (a logout through another node).
    func tokens(hashingTo hash: [UInt8]) -> [String] {
        let tokens = state.withLock { Array($0.sessions.keys) }
        return tokens.filter { TokenService.hash(of: $0) == hash }
    }

    /// The sessions opened with `token`, forgotten.
    func removeAll(token: String) -> Set<SessionID> {
        state.withLock { state in
            let sessions = state.sessions.removeValue(forKey: token) ?? []
            for session in sessions { state.tokens[session] = nil }
            return sessions
        }
    }
}
