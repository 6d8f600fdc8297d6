import ChatEngine
import ChatProtocol

extension ChatService {
    /// Opens a v1 socket for `session`: the origin, the token, then the engine session, stored
    /// before this returns; its first frame, `hello`, is queued in commit order, before anything
    /// else can reach the session. A socket that may not open gets an error frame and a close with
    /// 4000 + the status it stands for through the outbox, and nil.
    public func openV1Socket(_ request: V1SocketRequest, session: SessionID) async -> V1Socket? {
        let account: User
        switch await socketAccount(token: request.token, origin: request.origin, host: request.host, session: session) {
        case .success(let user): account = user
        case .failure(let error): return refuseV1Socket(session, error)
        }
        core.v1Sessions.insert(session)
        let hello = V1ServerFrame.hello(user: UserBody(account), session: String(session.rawValue)).encoded()
        let opened = await withCheckedContinuation { continuation in
            core.submit(.openSession(session, user: account.id)) { [core] result in
                if case .success(.success) = result { core.outbox.send(.text(hello), to: session) }
                continuation.resume(returning: result)
            }
        }
        switch opened {
        case .success(.success):
            return V1Socket(service: self, session: session, user: account)
        case .success(.failure(let rejection)):
            core.v1Sessions.remove(session)
            return refuseV1Socket(session, ServiceError(rejection))
        case .failure(let error):
            core.v1Sessions.remove(session)
            return refuseV1Socket(session, ServiceError(error))
        }
    }

    /// A v1 error frame, then a close with 4000 + the error's status.
    private func refuseV1Socket(_ session: SessionID, _ error: ServiceError) -> V1Socket? {
        socketClosed(session)
        let frame = V1ServerFrame.error(id: nil, code: error.code, message: error.message).encoded()
        core.outbox.send(.close(frame, code: UInt16(4000 + error.status)), to: session)
        return nil
    }
}
