import ChatProtocol
import Testing

@Suite("Request and response bodies decode from valid JSON")
struct BodyDecodingTests {
    @Test func registerAndLogin() throws {
        let register = try WireDecoder.decode(RegisterRequest.self, from: #"{"username": "alice", "password": "s3cret-pw"}"#)
        #expect(register == RegisterRequest(username: "alice", password: "s3cret-pw"))
        let login = try WireDecoder.decode(LoginRequest.self, from: #" { "password":"pw\u00e9", "username":"Alice" } "#)
        #expect(login == LoginRequest(username: "Alice", password: "pwé"))
    }

    @Test func passwordsAreNotPrinted() {
        let register = RegisterRequest(username: "alice", password: "hunter22")
        let login = LoginRequest(username: "alice", password: "hunter22")
        let response = LoginResponse(token: "tok-123", user: UserBody(id: 1, username: "alice"))
        #expect(!"\(register)".contains("hunter22"))
        #expect(!"\(login)".contains("hunter22"))
        #expect(!"\(response)".contains("tok-123"))
    }

    @Test func loginResponseAndUser() throws {
        let response = try WireDecoder.decode(LoginResponse.self, from: #"{"token":"abc","user":{"id":7,"username":"bob"}}"#)
        #expect(response == LoginResponse(token: "abc", user: UserBody(id: 7, username: "bob")))
        let user = try WireDecoder.decode(UserBody.self, from: #"{"id":1,"username":"alice"}"#)
        #expect(user == UserBody(id: 1, username: "alice"))
    }

    @Test func listsAtTheTopLevel() throws {
        let users = try WireDecoder.decode([UserBody].self, from: #"[{"id":1,"username":"a"},{"id":2,"username":"b"}]"#)
        #expect(users == [UserBody(id: 1, username: "a"), UserBody(id: 2, username: "b")])
    }

    @Test func rooms() throws {
        let room = try WireDecoder.decode(RoomBody.self, from: #"{"id":3,"name":"team","kind":"group","members":["alice","bob"]}"#)
        #expect(room == RoomBody(id: 3, name: "team", kind: "group", members: ["alice", "bob"]))

        let plain = try WireDecoder.decode(CreateRoomRequest.self, from: #"{"name":"lobby"}"#)
        #expect(plain == CreateRoomRequest(name: "lobby", kind: nil))
        #expect(plain.roomKind == .public)
        let group = try WireDecoder.decode(CreateRoomRequest.self, from: #"{"name":"team","kind":"group"}"#)
        #expect(group.roomKind == .group)
        let explicit = try WireDecoder.decode(CreateRoomRequest.self, from: #"{"name":"lobby","kind":"public"}"#)
        #expect(explicit.roomKind == .public)
        let privateKind = try WireDecoder.decode(CreateRoomRequest.self, from: #"{"name":"x","kind":"private"}"#)
        #expect(privateKind.roomKind == nil)
        #expect(CreateRoomRequest.invalidKindMessage == "Room kind must be public or group")

        let withMembers = try WireDecoder.decode(CreateRoomWithMembersRequest.self, from: #"{"name":"team","members":["bob","carol"]}"#)
        #expect(withMembers == CreateRoomWithMembersRequest(name: "team", members: ["bob", "carol"]))
        let empty = try WireDecoder.decode(CreateRoomWithMembersRequest.self, from: #"{"name":"solo","members":[]}"#)
        #expect(empty.members.isEmpty)

        #expect(try WireDecoder.decode(AddMemberRequest.self, from: #"{"username":"dave"}"#) == AddMemberRequest(username: "dave"))
    }

    @Test func roles() throws {
        #expect(try WireDecoder.decode(ChangeRoleRequest.self, from: #"{"role":"admin"}"#).engineRole == .admin)
        #expect(try WireDecoder.decode(ChangeRoleRequest.self, from: #"{"role":"member"}"#).engineRole == .member)
        #expect(try WireDecoder.decode(ChangeRoleRequest.self, from: #"{"role":"owner"}"#).engineRole == .owner)
        #expect(try WireDecoder.decode(ChangeRoleRequest.self, from: #"{"role":"Admin"}"#).engineRole == nil)
    }

    @Test func sendMessage() throws {
        let plain = try WireDecoder.decode(SendMessageRequest.self, from: #"{"room_id":12,"message":"hi"}"#)
        #expect(plain == SendMessageRequest(roomID: 12, message: "hi", clientMessageID: nil))
        let withID = try WireDecoder.decode(SendMessageRequest.self, from: #"{"room_id":12,"message":"hi","client_msg_id":"c-1"}"#)
        #expect(withID.clientMessageID == "c-1")
        let nullID = try WireDecoder.decode(SendMessageRequest.self, from: #"{"room_id":12,"message":"hi","client_msg_id":null}"#)
        #expect(nullID.clientMessageID == nil)
        let negativeZero = try WireDecoder.decode(SendMessageRequest.self, from: #"{"room_id":-0,"message":""}"#)
        #expect(negativeZero.roomID == 0)
        let big = try WireDecoder.decode(SendMessageRequest.self, from: #"{"room_id":9223372036854775807,"message":"x"}"#)
        #expect(big.roomID == Int64.max)
    }

    @Test func messageAndError() throws {
        let json = #"{"id":5,"room_id":2,"room":"lobby","seq":3,"username":"alice","message":"hey","timestamp":"2026-11-26T05:49:20.123Z","client_msg_id":"m1"}"#
        let message = try WireDecoder.decode(MessageBody.self, from: json)
        #expect(message == MessageBody(id: 5, roomID: 2, room: "lobby", seq: 3, username: "alice", message: "hey", timestamp: "2026-11-26T05:49:20.123Z", clientMessageID: "m1"))
        #expect(try WireDecoder.decode(ErrorBody.self, from: #"{"error":"Invalid JSON"}"#) == ErrorBody(error: "Invalid JSON"))
    }

    @Test func escapesInStrings() throws {
        let request = try WireDecoder.decode(AddMemberRequest.self, from: #"{"username":"a\"b\\c\/d\n\t\u0001\ud83d\ude00é"}"#)
        #expect(request.username == "a\"b\\c/d\n\t\u{1}😀é")
    }

    @Test func unknownFieldsMayBeAllowedForResponses() throws {
        let user = try WireDecoder.decode(UserBody.self, from: #"{"id":1,"username":"a","avatar":"x.png"}"#, allowingUnknownFields: true)
        #expect(user == UserBody(id: 1, username: "a"))
        let error = try WireDecoder.decode(ErrorBody.self, from: #"{"error":"Too many requests","retry_after":3}"#, allowingUnknownFields: true)
        #expect(error.error == "Too many requests")
    }

    @Test func bodiesEncodeBackToWhatTheyDecodedFrom() throws {
        let message = MessageBody(id: 1, roomID: 2, room: "r", seq: 3, username: "u", message: "m", timestamp: "1970-01-01T00:00:00.000Z")
        #expect(try WireDecoder.decode(MessageBody.self, from: WireEncoder.encode(message)) == message)
        let room = RoomBody(id: 1, name: "n", kind: "private", members: ["a", "b"])
        #expect(try WireDecoder.decode(RoomBody.self, from: WireEncoder.encode(room)) == room)
        let login = LoginResponse(token: "t", user: UserBody(id: 9, username: "z"))
        #expect(try WireDecoder.decode(LoginResponse.self, from: WireEncoder.encode(login)) == login)
    }
}
