import ChatProtocol
import Testing

@Suite("Strict decoding rejects bad input with exact messages")
struct DecodingErrorTests {
    @Test(arguments: [
        "", " ", "{", "}", "{\"username\"}", "{\"username\":}", "{\"username\":\"a\",}", "{,}",
        "{'username':'a'}", "{\"username\":\"a\"} x", "{\"username\":\"a\"}{}", "[]", "[1]", "\"text\"", "42", "null", "true",
        "{\"username\":\"a\\x\"}", "{\"username\":\"a\\u12\"}", "{\"username\":\"\\ud800\"}", "{\"username\":\"\\udc00\"}",
        "{\"username\":\"\\ud800\\u0041\"}", "{\"username\":\"tab\there\"}", "{\"username\":\"new\nline\"}",
        "{\"username\":01}", "{\"username\":1.}", "{\"username\":.5}", "{\"username\":-}", "{\"username\":1e}", "{\"username\":+1}",
        "{\"username\":tru}", "{\"username\":nul}", "{\"username\":NaN}", "{\"username\":\"unterminated}",
        "\u{FEFF}{\"username\":\"a\"}",
    ])
    func invalidJSON(_ json: String) {
        #expect(decodingError(AddMemberRequest.self, json) == "Invalid JSON")
    }

    @Test func nestingTooDeepIsInvalid() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(decodingError(AddMemberRequest.self, "{\"username\":\(deep)}") == "Invalid JSON")
        let fine = String(repeating: "[", count: 30) + String(repeating: "]", count: 30)
        #expect(decodingError(AddMemberRequest.self, "{\"username\":\(fine)}") == "Field 'username' must be a string")
    }

    @Test(arguments: [
        [0xFF] as [UInt8],                                  // never valid
        [0x7B, 0x22, 0x75, 0x22, 0x3A, 0x22, 0xC3, 0x22, 0x7D], // {"u":"<truncated é>"}
        [0xC0, 0xAF],                                       // overlong "/"
        [0xE0, 0x80, 0xAF],                                 // overlong
        [0xED, 0xA0, 0x80],                                 // UTF-8 encoded surrogate U+D800
        [0xF4, 0x90, 0x80, 0x80],                           // above U+10FFFF
        [0xF0, 0x9F, 0x98],                                 // truncated emoji
        Array(#"{"username":"ok"}"#.utf8) + [0x80],         // stray continuation byte after valid JSON
    ])
    func invalidUTF8(_ bytes: [UInt8]) {
        #expect(decodingError(AddMemberRequest.self, bytes) == "Invalid UTF-8")
    }

    @Test func validMultibyteUTF8IsAccepted() throws {
        let bytes = Array(#"{"username":"é中😀"}"#.utf8)
        #expect(try WireDecoder.decode(AddMemberRequest.self, from: bytes).username == "é中😀")
        // Any collection of bytes works, contiguous or not.
        #expect(try WireDecoder.decode(AddMemberRequest.self, from: bytes.lazy.map { $0 }).username == "é中😀")
        #expect(try WireDecoder.decode(AddMemberRequest.self, from: bytes[...]).username == "é中😀")
    }

    @Test func unknownFields() {
        #expect(decodingError(RegisterRequest.self, #"{"username":"a","password":"12345678","email":"a@b.c"}"#) == "Unknown field: email")
        #expect(decodingError(SendMessageRequest.self, #"{"room_id":1,"message":"x","roomId":1}"#) == "Unknown field: roomId")
        // The first unknown field in document order is the one named.
        #expect(decodingError(AddMemberRequest.self, #"{"zeta":1,"alpha":2,"username":"a"}"#) == "Unknown field: zeta")
        // Unknown fields are reported before missing ones.
        #expect(decodingError(LoginRequest.self, #"{"user":"a"}"#) == "Unknown field: user")
        // Nested objects are strict too, and named by their path.
        #expect(decodingError(LoginResponse.self, #"{"token":"t","user":{"id":1,"username":"a","admin":true}}"#) == "Unknown field: user.admin")
        #expect(decodingError(ErrorBody.self, #"{"error":"x","code":1}"#) == "Unknown field: code")
    }

    @Test func duplicateFields() {
        #expect(decodingError(AddMemberRequest.self, #"{"username":"alice","username":"bob"}"#) == "Duplicate field: username")
    }

    /// Past a handful of fields an object keeps an index by name: names are still checked for
    /// duplicates, and the first unknown one in document order is still the one reported.
    @Test(arguments: [3, 8, 9, 40])
    func objectsOfEverySizeKeepTheirRules(fields: Int) {
        let names = (0..<fields).map { "f\($0)" }
        let object = names.map { #""\#($0)":\#($0.count)"# }.joined(separator: ",")
        #expect(decodingError(AddMemberRequest.self, "{\(object),\"\(names[fields / 2])\":0}") == "Duplicate field: \(names[fields / 2])")
        #expect(decodingError(AddMemberRequest.self, "{\"username\":\"alice\",\(object)}") == "Unknown field: f0")
        #expect(decodingError(AddMemberRequest.self, "{\(object),\"username\":\"alice\"}") == "Unknown field: f0")
    }

    @Test func missingFields() {
        #expect(decodingError(RegisterRequest.self, #"{"username":"a"}"#) == "Missing field: password")
        #expect(decodingError(LoginRequest.self, #"{"password":"a"}"#) == "Missing field: username")
        #expect(decodingError(LoginRequest.self, "{}") == "Missing field: username")
        #expect(decodingError(CreateRoomRequest.self, #"{"kind":"group"}"#) == "Missing field: name")
        #expect(decodingError(CreateRoomWithMembersRequest.self, #"{"name":"x"}"#) == "Missing field: members")
        #expect(decodingError(AddMemberRequest.self, "{}") == "Missing field: username")
        #expect(decodingError(ChangeRoleRequest.self, "{}") == "Missing field: role")
        #expect(decodingError(SendMessageRequest.self, #"{"message":"x"}"#) == "Missing field: room_id")
        #expect(decodingError(SendMessageRequest.self, #"{"room_id":1}"#) == "Missing field: message")
        #expect(decodingError(LoginResponse.self, #"{"token":"t","user":{"id":1}}"#) == "Missing field: user.username")
    }

    @Test func wrongTypes() {
        #expect(decodingError(RegisterRequest.self, #"{"username":5,"password":"12345678"}"#) == "Field 'username' must be a string")
        #expect(decodingError(RegisterRequest.self, #"{"username":"a","password":["x"]}"#) == "Field 'password' must be a string")
        #expect(decodingError(RegisterRequest.self, #"{"username":"a","password":true}"#) == "Field 'password' must be a string")
        #expect(decodingError(SendMessageRequest.self, #"{"room_id":"1","message":"x"}"#) == "Field 'room_id' must be an integer")
        #expect(decodingError(SendMessageRequest.self, #"{"room_id":1.5,"message":"x"}"#) == "Field 'room_id' must be an integer")
        #expect(decodingError(SendMessageRequest.self, #"{"room_id":1.0,"message":"x"}"#) == "Field 'room_id' must be an integer")
        #expect(decodingError(SendMessageRequest.self, #"{"room_id":1e2,"message":"x"}"#) == "Field 'room_id' must be an integer")
        #expect(decodingError(SendMessageRequest.self, #"{"room_id":9223372036854775808,"message":"x"}"#) == "Field 'room_id' must be an integer")
        #expect(decodingError(SendMessageRequest.self, #"{"room_id":true,"message":"x"}"#) == "Field 'room_id' must be an integer")
        #expect(decodingError(SendMessageRequest.self, #"{"room_id":1,"message":"x","client_msg_id":7}"#) == "Field 'client_msg_id' must be a string")
        #expect(decodingError(CreateRoomRequest.self, #"{"name":"x","kind":1}"#) == "Field 'kind' must be a string")
        #expect(decodingError(CreateRoomWithMembersRequest.self, #"{"name":"x","members":"bob"}"#) == "Field 'members' must be a list of strings")
        #expect(decodingError(CreateRoomWithMembersRequest.self, #"{"name":"x","members":["bob",2]}"#) == "Field 'members' must be a list of strings")
        #expect(decodingError(CreateRoomWithMembersRequest.self, #"{"name":"x","members":[null]}"#) == "Field 'members' must be a list of strings")
        #expect(decodingError(CreateRoomWithMembersRequest.self, #"{"name":"x","members":{}}"#) == "Field 'members' must be a list of strings")
        #expect(decodingError(LoginResponse.self, #"{"token":"t","user":"alice"}"#) == "Field 'user' must be an object")
        #expect(decodingError(LoginResponse.self, #"{"token":"t","user":{"id":"1","username":"a"}}"#) == "Field 'user.id' must be an integer")
    }

    @Test func nullIsAbsentForOptionalFieldsAndAWrongTypeForRequiredOnes() throws {
        #expect(try WireDecoder.decode(CreateRoomRequest.self, from: #"{"name":"x","kind":null}"#).roomKind == .public)
        #expect(decodingError(AddMemberRequest.self, #"{"username":null}"#) == "Field 'username' must be a string")
        #expect(decodingError(SendMessageRequest.self, #"{"room_id":null,"message":"x"}"#) == "Field 'room_id' must be an integer")
        #expect(decodingError(CreateRoomWithMembersRequest.self, #"{"name":"x","members":null}"#) == "Field 'members' must be a list of strings")
    }

    @Test func wireErrorMessages() {
        #expect(WireError.invalidJSON.message == "Invalid JSON")
        #expect(WireError.invalidUTF8.message == "Invalid UTF-8")
        #expect(WireError.unknownField("x").message == "Unknown field: x")
        #expect(WireError.duplicateField("x").message == "Duplicate field: x")
        #expect(WireError.missingField("x").message == "Missing field: x")
        #expect(WireError.wrongType(field: "x", expected: .string).message == "Field 'x' must be a string")
        #expect(WireError.wrongType(field: "x", expected: .integer).message == "Field 'x' must be an integer")
        #expect(WireError.wrongType(field: "x", expected: .boolean).message == "Field 'x' must be a boolean")
        #expect(WireError.wrongType(field: "x", expected: .list(of: .string)).message == "Field 'x' must be a list of strings")
        #expect(WireError.unknownFrameType("x").message == "Unknown frame type: x")
        #expect(WireError.binaryFrame.message == "Binary frames are not supported")
        #expect(WireError.binaryFrameMessage == "Binary frames are not supported")
        #expect(ErrorBody(.missingField("name")).error == "Missing field: name")
    }
}
