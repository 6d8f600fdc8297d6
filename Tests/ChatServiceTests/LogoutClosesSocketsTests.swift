import ChatEngine
import ChatProtocol
import ChatService
import Testing

/// A logout kills its token at once: not only for REST, but for every socket opened with it.
@Suite struct LogoutClosesSocketsTests {
    @Test func everySocketOfTheTokenIsClosedWith4401AndTheUsersOtherLoginsStayOpen() async throws {
        let h = try await V1Harness()
        let alice = try await h.user("alice")
        let otherLogin = try await h.service.login(LoginRequest(username: "alice", password: "password1"), from: "test").token
        let lobby = try await h.service.createRoom(by: alice.id, CreateRoomRequest(name: "lobby", kind: "public"))
        let v1 = try #require(await h.connect(alice.token))
        let kept = try #require(await h.connect(otherLogin))
        let seedSession = h.service.newSession()
        h.outbox.open(seedSession)
        let seedRequest = try #require(SeedSocketRequest(target: "/ws/chat/lobby/?token=\(alice.token)", authorization: nil, origin: nil, host: nil))
        let seed = try #require(await h.service.openSeedSocket(seedRequest, session: seedSession))
        for session in [v1.session, kept.session, seedSession] { _ = h.frames(session) }

        try await h.service.logout(token: alice.token)

        let v1Frames = h.frames(v1.session)
        #expect(v1Frames.count == 2)
        #expect(v1Frames.first?["type"] as? String == "error")
        #expect(v1Frames.first?["code"] as? String == "not_authenticated")
        #expect(v1Frames.first?["error"] as? String == ServiceError.notAuthenticatedMessage)
        #expect(v1Frames.last?["closed"] as? Int == 4401)
        let seedFrames = h.frames(seedSession)
        #expect(seedFrames.count == 2)
        #expect(seedFrames.first?["error"] as? String == ServiceError.notAuthenticatedMessage)
        #expect(seedFrames.first?["code"] == nil)
        #expect(seedFrames.last?["closed"] as? Int == 4401)
        #expect(h.frames(kept.session).isEmpty)

        // The other login's socket still works.
        await h.send(kept, #"{"id":1,"type":"subscribe","room":\#(lobby.id)}"#)
        #expect(h.frames(kept.session).first?["type"] as? String == "subscribed")
        await seed.close()
        await v1.close()
    }

    @Test func aSocketClosedBeforeTheLogoutIsNotClosedAgain() async throws {
        let h = try await V1Harness()
        let alice = try await h.user("alice")
        let socket = try #require(await h.connect(alice.token))
        _ = h.frames(socket.session)
        await socket.close()
        try await h.service.logout(token: alice.token)
        #expect(h.frames(socket.session).isEmpty)
    }
}
