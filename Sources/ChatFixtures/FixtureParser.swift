import Foundation

/// Why a fixture file cannot be read; the message names the step.
public struct FixtureFormatError: Error, CustomStringConvertible, Sendable {
    public let message: String
    /// An error with a message.
    public init(message: String) { self.message = message }
    public var description: String { message }
}

extension Fixture {
    /// The format name and version this build reads.
    public static let formatName = "chat-fixture"
    public static let formatVersion = 1

    /// Reads a fixture from JSON (see `fixtures/README.md` and `fixtures/fixture.schema.json`).
    public init(json data: Data) throws(FixtureFormatError) {
        guard case .object(let root)? = FixtureValue.parse(data) else {
            throw FixtureFormatError(message: "a fixture is a JSON object")
        }
        guard root["format"]?.string == Self.formatName else { throw FixtureFormatError(message: "\"format\" must be \"\(Self.formatName)\"") }
        guard root["version"]?.integer == Self.formatVersion else { throw FixtureFormatError(message: "\"version\" must be \(Self.formatVersion)") }
        guard case .array(let steps)? = root["steps"] else { throw FixtureFormatError(message: "\"steps\" must be a list") }
        var parsed: [FixtureStep] = []
        var bound: Set<String> = []
        for (index, step) in steps.enumerated() {
            do throws(FixtureFormatError) {
                let step = try Self.step(step)
                if let unbound = FixtureVariables.used(by: step.action).subtracting(bound).min() {
                    throw FixtureFormatError(message: "${\(unbound)} is used before an expectation binds it")
                }
                if step.expectedError == nil { bound.formUnion(FixtureVariables.bound(by: step.action)) }
                parsed.append(step)
            } catch {
                throw FixtureFormatError(message: "step \(index + 1): \(error.message)")
            }
        }
        var ignored: Set<String> = []
        if case .array(let types)? = root["ignore_frame_types"] { ignored = Set(types.compactMap(\.string)) }
        self.init(
            description: root["description"]?.string ?? "",
            typingTimeout: Int64(root["typing_timeout_ms"]?.integer ?? 5_000),
            ignoredFrameTypes: ignored,
            steps: parsed
        )
    }

    private static let actions = [
        "register", "login", "create_room", "add_member", "remove_member", "set_role", "open_private", "connect", "disconnect",
        "drop", "send", "post", "edit", "delete", "mark_read", "advance", "restart", "expect_frames", "expect_history", "expect_online",
        "expect_rooms",
    ]

    private static func step(_ value: FixtureValue) throws(FixtureFormatError) -> FixtureStep {
        guard case .object(let object) = value else { throw FixtureFormatError(message: "a step is an object") }
        let names = object.keys.filter { actions.contains($0) }
        guard names.count == 1, let name = names.first, let body = object[name] else {
            throw FixtureFormatError(message: "a step has exactly one action of \(actions.joined(separator: ", "))")
        }
        let unknown = object.keys.filter { $0 != name && $0 != "expect_error" && $0 != "expect_close" }
        guard unknown.isEmpty else { throw FixtureFormatError(message: "unknown key \(unknown.sorted()[0])") }
        return FixtureStep(action: try action(name, body), expectedError: object["expect_error"]?.string, expectedClose: object["expect_close"]?.integer)
    }

    private static func action(_ name: String, _ body: FixtureValue) throws(FixtureFormatError) -> FixtureAction {
        switch name {
        case "register":
            if let user = body.string { return .register(user: user, password: "password1") }
            return .register(user: try text(body, "user"), password: body["password"]?.string ?? "password1")
        case "login":
            if let user = body.string { return .login(user: user) }
            return .login(user: try text(body, "user"))
        case "create_room":
            return .createRoom(as: try text(body, "as"), name: try text(body, "name"), kind: body["kind"]?.string ?? "public", members: try texts(body, "members", optional: true))
        case "add_member":
            return .addMember(as: try text(body, "as"), room: try room(body), user: try text(body, "user"))
        case "remove_member":
            return .removeMember(as: try text(body, "as"), room: try room(body), user: try text(body, "user"))
        case "set_role":
            return .setRole(as: try text(body, "as"), room: try room(body), user: try text(body, "user"), role: try text(body, "role"))
        case "open_private":
            return .openPrivate(as: try text(body, "as"), user: try text(body, "user"))
        case "connect":
            let credential: SocketCredential = switch (body["as"]?.string, body["token"]?.string) {
            case (let user?, nil): .user(user)
            case (nil, let token?): .token(token)
            default: throw FixtureFormatError(message: "connect takes either \"as\" (a user) or \"token\" (a string)")
            }
            return .connect(socket: try text(body, "socket"), path: try text(body, "path"), credential: credential)
        case "disconnect":
            if let socket = body.string { return .disconnect(socket: socket) }
            return .disconnect(socket: try text(body, "socket"))
        case "drop":
            if let socket = body.string { return .drop(socket: socket) }
            return .drop(socket: try text(body, "socket"))
        case "send":
            let socket = try text(body, "socket")
            if let frame = body["frame"] { return .send(socket: socket, payload: .json(frame)) }
            if let raw = body["text"]?.string { return .send(socket: socket, payload: .text(raw)) }
            if case .array(let bytes)? = body["text_bytes"] { return .send(socket: socket, payload: .textBytes(bytes.compactMap { $0.integer.map(UInt8.init(truncatingIfNeeded:)) })) }
            if case .array(let bytes)? = body["binary"] { return .send(socket: socket, payload: .binary(bytes.compactMap { $0.integer.map(UInt8.init(truncatingIfNeeded:)) })) }
            throw FixtureFormatError(message: "send needs frame, text, text_bytes or binary")
        case "post":
            let count = body["repeat"] == nil ? 1 : body["repeat"]?.integer ?? 0
            guard count >= 1 else { throw FixtureFormatError(message: "\"repeat\" must be a positive integer") }
            return .post(as: try text(body, "as"), room: try room(body), message: try text(body, "message"), clientMessageID: body["client_msg_id"]?.string, repeat: count)
        case "edit":
            return .edit(as: try text(body, "as"), message: try integerOrVariable(body, "message"), text: .string(try text(body, "text")))
        case "delete":
            return .delete(as: try text(body, "as"), message: try integerOrVariable(body, "message"))
        case "mark_read":
            return .markRead(as: try text(body, "as"), room: try room(body), seq: try integerOrVariable(body, "seq"))
        case "advance":
            guard let milliseconds = body.integer, milliseconds >= 0 else { throw FixtureFormatError(message: "advance takes milliseconds") }
            return .advance(milliseconds: milliseconds)
        case "restart":
            guard case .object(let options) = body, options.keys.allSatisfy({ $0 == "kill" || $0 == "in_flight" }) else {
                throw FixtureFormatError(message: "restart takes {}, or {\"kill\": true} with an optional \"in_flight\" post")
            }
            var kill = false
            if let value = options["kill"] {
                guard case .bool(let flag) = value else { throw FixtureFormatError(message: "restart's \"kill\" is true or false") }
                kill = flag
            }
            guard let post = options["in_flight"] else { return .restart(kill: kill, inFlight: nil) }
            guard kill else { throw FixtureFormatError(message: "restart's \"in_flight\" needs \"kill\": true (a stopped server answers what it was sent)") }
            guard case .object(let fields) = post, fields.keys.allSatisfy(["as", "room", "message", "client_msg_id"].contains) else {
                throw FixtureFormatError(message: "restart's \"in_flight\" takes {\"as\", \"room\", \"message\", \"client_msg_id\"}")
            }
            return .restart(kill: true, inFlight: InFlightPost(
                user: try text(post, "as"), room: try room(post), message: try text(post, "message"), clientMessageID: try text(post, "client_msg_id")
            ))
        case "expect_frames":
            guard case .object(let sockets) = body else { throw FixtureFormatError(message: "expect_frames maps sockets to frame lists") }
            var frames: [String: [FixtureValue]] = [:]
            for (socket, list) in sockets {
                guard case .array(let items) = list else { throw FixtureFormatError(message: "expect_frames.\(socket) must be a list") }
                frames[socket] = items
            }
            return .expectFrames(frames)
        case "expect_history":
            guard case .array(let messages)? = body["messages"] else { throw FixtureFormatError(message: "expect_history needs messages") }
            return .expectHistory(as: try text(body, "as"), room: try room(body), after: body["after"]?.integer, messages: messages)
        case "expect_rooms":
            guard case .array(let rooms)? = body["rooms"] else { throw FixtureFormatError(message: "expect_rooms needs rooms") }
            return .expectRooms(as: try text(body, "as"), rooms: rooms)
        default:
            return .expectOnline(as: try text(body, "as"), room: try room(body), users: try texts(body, "users", optional: false))
        }
    }

    /// A field that is an integer or a variable (`"${name}"`).
    private static func integerOrVariable(_ body: FixtureValue, _ key: String) throws(FixtureFormatError) -> FixtureValue {
        guard let value = body[key], value.integer != nil || value.string.flatMap(FixtureVariables.name(in:)) != nil else {
            throw FixtureFormatError(message: "\"\(key)\" must be an integer or \"${name}\"")
        }
        return value
    }

    private static func text(_ body: FixtureValue, _ key: String) throws(FixtureFormatError) -> String {
        guard let value = body[key]?.string else { throw FixtureFormatError(message: "\"\(key)\" must be a string") }
        return value
    }

    private static func texts(_ body: FixtureValue, _ key: String, optional: Bool) throws(FixtureFormatError) -> [String] {
        guard case .array(let items)? = body[key] else {
            if optional, body[key] == nil { return [] }
            throw FixtureFormatError(message: "\"\(key)\" must be a list of strings")
        }
        return items.compactMap(\.string)
    }

    private static func room(_ body: FixtureValue) throws(FixtureFormatError) -> RoomReference {
        if let name = body["room"]?.string { return .named(name) }
        if let id = body["room"]?.integer { return .id(id) }
        if case .array(let pair)? = body["room"]?["private"], pair.count == 2, let a = pair[0].string, let b = pair[1].string {
            return .privatePair(a, b)
        }
        throw FixtureFormatError(message: "\"room\" is a name, {\"private\": [user, user]} or an id")
    }
}
