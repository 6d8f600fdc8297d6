import ChatEngine
import ChatProtocol

extension ChatService {
    /// Opens a seed socket for `session`: the origin, the token, then the engine session and its
    /// subscription to the room, all stored before this returns, so a socket whose handshake is
    /// answered afterwards is already in its room. A socket that may not open gets an error
    /// frame and a close with 4000 + the status it stands for through the outbox, and nil.
    public func openSeedSocket(_ request: SeedSocketRequest, session: SessionID) async -> SeedSocket? {
        let account: User
        switch await socketAccount(token: request.token, origin: request.origin, host: request.host, session: session) {
        case .success(let user): account = user
        case .failure(let error): return refuseSocket(session, error)
        }
        do throws(ServiceError) {
            _ = try await require(.openSession(session, user: account.id))
            let reply = try await execute(.subscribe(session, to: request.address))
            guard case .success(.room(let room)) = reply else {
                _ = try? await execute(.closeSession(session))
                if case .failure(let rejection) = reply { return refuseSocket(session, ServiceError(rejection)) }
                return refuseSocket(session, .unexpectedReply)
            }
            return SeedSocket(service: self, session: session, user: account, room: room.id)
        } catch {
            return refuseSocket(session, error)
        }
    }

    /// An error frame, then a close with 4000 + the error's status.
    private func refuseSocket(_ session: SessionID, _ error: ServiceError) -> SeedSocket? {
        socketClosed(session)
        core.outbox.send(.close(DeliveryRenderer.error(error.message), code: UInt16(4000 + error.status)), to: session)
        return nil
    }
}
