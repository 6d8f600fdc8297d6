import Foundation
import Testing

@Suite struct RoomRouteTests {
    @Test func roomsListsPublicRoomsAndTheCallersOwn() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let bob = try await api.user("bob")
            let eve = try await api.user("eve")
            _ = try await api.room("lobby", token: eve.token)
            _ = try await api.request(.post, "/api/rooms/with-members", token: alice.token, json: #"{"name":"team","members":["bob"]}"#)
            _ = try await TestSocket.connect(api, "/ws/private/bob/?token=\(alice.token)")
            _ = try await api.rooms(token: alice.token, atLeast: 3)
            let aliceRooms = try await api.request(.get, "/api/rooms", token: alice.token)
            #expect(aliceRooms.status == 200)
            // The seed's fields in the seed's order, a group's roles, then the caller's read state.
            let state = #""last_seq":0,"read_seq":0,"unread":0"#
            #expect(aliceRooms.body == #"[{"id":1,"name":"lobby","kind":"public","members":[],\#(state)},{"id":2,"name":"team","kind":"group","members":["alice","bob"],"roles":{"alice":"owner","bob":"member"},\#(state)},{"id":3,"name":"alice, bob","kind":"private","members":["alice","bob"],\#(state)}]"#)
            let eveRooms = try await api.request(.get, "/api/rooms", token: eve.token)
            #expect(eveRooms.body == #"[{"id":1,"name":"lobby","kind":"public","members":[],\#(state)}]"#)
            #expect(try await api.request(.get, "/api/rooms", token: bob.token).list.count == 3)
        }
    }

    @Test func creatingRooms() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let lobby = try await api.request(.post, "/api/rooms", token: alice.token, json: #"{"name":"lobby"}"#)
            #expect(lobby.status == 201)
            #expect(lobby.body == #"{"id":1,"name":"lobby","kind":"public","members":[]}"#)
            let team = try await api.request(.post, "/api/rooms/", token: alice.token, json: #"{"name":"team","kind":"group"}"#)
            #expect(team.status == 201)
            #expect(team.body == #"{"id":2,"name":"team","kind":"group","members":["alice"],"roles":{"alice":"owner"}}"#)
            let cases: [(String, Int, String)] = [
                (#"{"name":"lobby"}"#, 409, "A room with that name already exists"),
                (#"{"name":"team","kind":"public"}"#, 409, "A room with that name already exists"),
                (#"{"name":"a/b"}"#, 400, "Room name must be 1 to 100 characters, without '/' or control characters"),
                (#"{"name":""}"#, 400, "Room name must be 1 to 100 characters, without '/' or control characters"),
                (#"{"name":"x","kind":"private"}"#, 400, "Room kind must be public or group"),
                (#"{"name":"x","kind":"secret"}"#, 400, "Room kind must be public or group"),
                (#"{"name":"x","owner":"bob"}"#, 400, "Unknown field: owner"),
                (#"{"kind":"group"}"#, 400, "Missing field: name"),
            ]
            for (body, status, message) in cases {
                let reply = try await api.request(.post, "/api/rooms", token: alice.token, json: body)
                #expect(reply.status == status, "\(body): \(reply.body)")
                #expect(reply.error == message, "\(body)")
            }
        }
    }

    @Test func creatingAGroupWithMembersNamesEachUnknownUser() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            _ = try await api.user("bob")
            let created = try await api.request(.post, "/api/rooms/with-members", token: alice.token, json: #"{"name":"team","members":["BOB"]}"#)
            #expect(created.status == 201)
            #expect(created.body == #"{"id":1,"name":"team","kind":"group","members":["alice","bob"],"roles":{"alice":"owner","bob":"member"}}"#)
            let unknown = try await api.request(.post, "/api/rooms/with-members", token: alice.token, json: #"{"name":"other","members":["bob","zed","yan"]}"#)
            #expect(unknown.status == 400)
            #expect(unknown.error == "Unknown users: zed, yan")
            let taken = try await api.request(.post, "/api/rooms/with-members", token: alice.token, json: #"{"name":"team","members":[]}"#)
            #expect(taken.status == 409)
            let badType = try await api.request(.post, "/api/rooms/with-members", token: alice.token, json: #"{"name":"x","members":"bob"}"#)
            #expect(badType.status == 400)
            #expect(badType.error == "Field 'members' must be a list of strings")
        }
    }

    @Test func addingMembers() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let bob = try await api.user("bob")
            _ = try await api.user("carol")
            let team = try await api.room("team", kind: "group", token: alice.token)
            let added = try await api.request(.post, "/api/rooms/\(team)/members", token: alice.token, json: #"{"username":"bob"}"#)
            #expect(added.status == 201)
            #expect(added.body == #"{"id":1,"name":"team","kind":"group","members":["alice","bob"],"roles":{"alice":"owner","bob":"member"}}"#)
            let byMember = try await api.request(.post, "/api/rooms/\(team)/members", token: bob.token, json: #"{"username":"carol"}"#)
            #expect(byMember.status == 403)
            #expect(byMember.error == "Only the room's owner or an admin may change its members")
            #expect(try await api.request(.post, "/api/rooms/\(team)/members", token: alice.token, json: #"{"username":"zed"}"#).status == 404)
            #expect(try await api.request(.post, "/api/rooms/99/members", token: alice.token, json: #"{"username":"carol"}"#).status == 404)
            #expect(try await api.request(.post, "/api/rooms/\(team)/members", token: alice.token, json: #"{"username":"bob"}"#).status == 409)
            let bad = try await api.request(.post, "/api/rooms/abc/members", token: alice.token, json: #"{"username":"bob"}"#)
            #expect(bad.status == 400)
            #expect(bad.error == "room_id must be a positive integer")
        }
    }

    @Test func privateRoomsRefuseMemberChanges() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            _ = try await api.user("bob")
            _ = try await api.user("carol")
            let socket = try await TestSocket.connect(api, "/ws/private/bob/?token=\(alice.token)")
            let room = try await api.rooms(token: alice.token, atLeast: 1).first?["id"] as? Int ?? 0
            for (method, path, body) in [
                ("POST", "/api/rooms/\(room)/members", #"{"username":"carol"}"#),
                ("DELETE", "/api/rooms/\(room)/members/bob", "{}"),
                ("PATCH", "/api/rooms/\(room)/members/bob", #"{"role":"admin"}"#),
            ] {
                let reply = try await api.request(.init(method)!, path, token: alice.token, json: body)
                #expect(reply.status == 400, "\(method) \(path)")
                #expect(reply.body == #"{"error":"Private rooms have exactly two members"}"#)
            }
            await socket.close()
        }
    }

    @Test func removingMembersAndLeaving() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let bob = try await api.user("bob")
            let carol = try await api.user("carol")
            _ = try await api.request(.post, "/api/rooms/with-members", token: alice.token, json: #"{"name":"team","members":["bob","carol"]}"#)
            #expect(try await api.request(.delete, "/api/rooms/1/members/carol", token: bob.token).status == 403)
            #expect(try await api.request(.delete, "/api/rooms/1/members/carol", token: carol.token).status == 204)
            #expect(try await api.request(.delete, "/api/rooms/1/members/bob/", token: alice.token).status == 204)
            #expect(try await api.request(.delete, "/api/rooms/1/members/bob", token: alice.token).status == 404)
            #expect(try await api.request(.get, "/api/rooms", token: alice.token).list.first?["members"] as? [String] == ["alice"])
        }
    }

    @Test func changingRoles() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let bob = try await api.user("bob")
            _ = try await api.user("carol")
            _ = try await api.request(.post, "/api/rooms/with-members", token: alice.token, json: #"{"name":"team","members":["bob","carol"]}"#)
            let promoted = try await api.request(.patch, "/api/rooms/1/members/bob", token: alice.token, json: #"{"role":"admin"}"#)
            #expect(promoted.status == 200)
            #expect(promoted["name"] as? String == "team")
            #expect(promoted["roles"] as? [String: String] == ["alice": "owner", "bob": "admin", "carol": "member"])
            // An admin adds and removes members, but only the owner changes roles.
            #expect(try await api.request(.delete, "/api/rooms/1/members/carol", token: bob.token).status == 204)
            let byAdmin = try await api.request(.patch, "/api/rooms/1/members/alice", token: bob.token, json: #"{"role":"member"}"#)
            #expect(byAdmin.status == 403)
            #expect(byAdmin.error == "Only the room's owner may change roles")
            let badRole = try await api.request(.patch, "/api/rooms/1/members/bob", token: alice.token, json: #"{"role":"owner"}"#)
            #expect(badRole.status == 400)
            #expect(badRole.error == "Role must be admin or member")
            #expect(try await api.request(.patch, "/api/rooms/1/members/zed", token: alice.token, json: #"{"role":"admin"}"#).status == 404)
            #expect(try await api.request(.patch, "/api/rooms/7/members/bob", token: alice.token, json: #"{"role":"admin"}"#).status == 404)
        }
    }
}

@Suite struct OnlineRouteTests {
    @Test func onlineListsUsersWithASocketInTheRoomOncePerUser() async throws {
        try await TestServer.run { api in
            let alice = try await api.user("alice")
            let bob = try await api.user("bob")
            let eve = try await api.user("eve")
            _ = try await api.request(.post, "/api/rooms/with-members", token: alice.token, json: #"{"name":"team","members":["bob"]}"#)
            // A socket is in the room once its own message comes back to it; the second connects
            // after the first's message, so each reads only its own.
            let first = try await TestSocket.connect(api, "/ws/chat/group/team/?token=\(bob.token)")
            try await first.send(#"{"message":"first tab"}"#)
            #expect(await first.nextJSON()?["message"] as? String == "first tab")
            let second = try await TestSocket.connect(api, "/ws/chat/group/team/?token=\(bob.token)")
            try await second.send(#"{"message":"second tab"}"#)
            #expect(await second.nextJSON()?["message"] as? String == "second tab")
            let online = try await api.request(.get, "/api/rooms/1/online", token: alice.token)
            #expect(online.status == 200)
            #expect(online.body == #"[{"id":2,"username":"bob"}]"#)
            #expect(try await api.request(.get, "/api/rooms/1/online", token: eve.token).status == 403)
            #expect(try await api.request(.get, "/api/rooms/9/online", token: eve.token).status == 404)
            await first.close()
            await second.close()
        }
    }
}
