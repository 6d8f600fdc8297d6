/// Replays a fixture on a driver and compares every expectation.
public struct FixtureRunner {
    /// One step's verdict.
    public struct StepReport: Sendable {
        public let index: Int
        public let summary: String
        /// Why it failed: what was expected and what was received.
        public let failure: String?
    }

    public let fixture: Fixture

    public init(fixture: Fixture) {
        self.fixture = fixture
    }

    /// Runs every step (or, `stoppingAtFirstFailure`, those up to the first that fails),
    /// reporting each through `report` as it completes; returns whether all passed. Variables
    /// bound by one step's expectations are used by the steps after it.
    @discardableResult
    public func run(on driver: inout some FixtureDriver, stoppingAtFirstFailure: Bool = false, report: (StepReport) -> Void = { _ in }) async throws -> Bool {
        var passed = true
        var variables = FixtureVariables()
        for (index, step) in fixture.steps.enumerated() {
            let failure = try await check(step, on: &driver, variables: &variables)
            passed = passed && failure == nil
            report(StepReport(index: index + 1, summary: Self.summary(step.action), failure: failure))
            if failure != nil, stoppingAtFirstFailure { break }
        }
        return passed
    }

    private func check(_ step: FixtureStep, on driver: inout some FixtureDriver, variables: inout FixtureVariables) async throws -> String? {
        switch step.action {
        case .expectFrames(let expected):
            let counts = expected.mapValues(\.count)
            return compare(frames: try await driver.takeFrames(expected: counts, ignoring: fixture.ignoredFrameTypes), expected: expected, variables: &variables)
        case .expectHistory(let user, let room, let after, let messages):
            return compare(try await driver.history(as: user, room: room, after: after), expected: messages, error: step.expectedError, variables: &variables)
        case .expectOnline(let user, let room, let users):
            let online = try await driver.online(as: user, room: room).map { $0.map(FixtureValue.string) }
            return compare(online, expected: users.map(FixtureValue.string), error: step.expectedError, variables: &variables)
        case .expectRooms(let user, let rooms):
            return compare(try await driver.rooms(as: user), expected: rooms, error: step.expectedError, variables: &variables)
        default:
            let action: FixtureAction
            do throws(FixtureVariables.UnboundVariable) {
                action = try variables.resolve(step.action)
            } catch {
                return error.description
            }
            let outcome = try await driver.perform(action)
            let expected: ActionOutcome = switch (step.expectedError, step.expectedClose) {
            case (nil, _): .ok
            case (let message?, let code?): .refused(message, close: code)
            case (let message?, nil): .error(message)
            }
            return outcome == expected ? nil : "expected \(Self.describe(expected)), got \(Self.describe(outcome))"
        }
    }

    /// Each socket's frames against its expected list (sockets in name order, so a variable is
    /// bound where it first appears); a socket that does not match binds nothing.
    private func compare(frames: [String: [FixtureValue]], expected: [String: [FixtureValue]], variables: inout FixtureVariables) -> String? {
        var problems: [String] = []
        for socket in Set(frames.keys).union(expected.keys).sorted() {
            let received = (frames[socket] ?? []).filter { frame in !fixture.ignoredFrameTypes.contains(frame["type"]?.string ?? "") }
            let wanted = expected[socket] ?? []
            if !variables.matches(.array(wanted), .array(received)) {
                let shown = variables.shown(.array(wanted))
                problems.append("socket \(socket): expected \(wanted.isEmpty ? "nothing" : shown.description), received \(received.isEmpty ? "nothing" : FixtureValue.array(received).description)")
            }
        }
        return problems.isEmpty ? nil : problems.joined(separator: "\n    ")
    }

    private func compare(_ result: Result<[FixtureValue], FixtureRefusal>, expected: [FixtureValue], error: String?, variables: inout FixtureVariables) -> String? {
        switch (result, error) {
        case (.success(let received), nil):
            return variables.matches(.array(expected), .array(received)) ? nil : "expected \(variables.shown(.array(expected))), received \(FixtureValue.array(received))"
        case (.failure(let refusal), let message?) where refusal.message == message:
            return nil
        case (.failure(let refusal), _):
            return "expected \(error.map { "error \"\($0)\"" } ?? "\(variables.shown(.array(expected)))"), got error \"\(refusal.message)\""
        case (.success(let received), let message?):
            return "expected error \"\(message)\", received \(FixtureValue.array(received))"
        }
    }

    private static func describe(_ outcome: ActionOutcome) -> String {
        switch outcome {
        case .ok: "success"
        case .error(let message): "error \"\(message)\""
        case .refused(let message, let code): "refused \"\(message)\" with close \(code)"
        }
    }

    /// A one-line description of an action.
    static func summary(_ action: FixtureAction) -> String {
        switch action {
        case .register(let user, _): "register \(user)"
        case .login(let user): "login \(user)"
        case .createRoom(let user, let name, let kind, let members): "\(user) creates \(kind) room \(name)" + (members.isEmpty ? "" : " with \(members.joined(separator: ", "))")
        case .addMember(let user, let room, let member): "\(user) adds \(member) to \(room)"
        case .removeMember(let user, let room, let member): "\(user) removes \(member) from \(room)"
        case .setRole(let user, let room, let member, let role): "\(user) makes \(member) \(role) in \(room)"
        case .openPrivate(let user, let other): "\(user) opens the private room with \(other)"
        case .connect(let socket, let path, let credential): "\(credential) connects socket \(socket) to \(path)"
        case .disconnect(let socket): "socket \(socket) disconnects"
        case .drop(let socket): "socket \(socket) loses its connection"
        case .send(let socket, let payload):
            switch payload {
            case .json(let frame): "socket \(socket) sends \(frame)"
            case .text(let text): "socket \(socket) sends text \(text.debugDescription)"
            case .textBytes(let bytes): "socket \(socket) sends \(bytes.count) raw bytes as text"
            case .binary(let bytes): "socket \(socket) sends a binary frame of \(bytes.count) bytes"
            }
        case .post(let user, let room, let message, let client, let count):
            "\(user) posts \(Self.shortened(message)) to \(room)" + (client.map { " as \($0)" } ?? "") + (count == 1 ? "" : " \(count) times")
        case .edit(let user, let message, let text): "\(user) edits message \(message) to \(text)"
        case .delete(let user, let message): "\(user) deletes message \(message)"
        case .markRead(let user, let room, let seq): "\(user) marks \(room) read up to \(seq)"
        case .advance(let milliseconds): "advance \(milliseconds) ms"
        case .restart(let kill, let post):
            (kill ? "the server is killed and restarted" : "the server restarts")
                + (post.map { " while \($0.user) posts \(Self.shortened($0.message)) to \($0.room) as \($0.clientMessageID)" } ?? "")
        case .expectFrames(let frames): "expect frames on " + (frames.keys.sorted().joined(separator: ", ").nonEmpty ?? "no socket")
        case .expectHistory(let user, let room, let after, _): "expect history of \(room) as \(user)" + (after.map { " after \($0)" } ?? "")
        case .expectOnline(_, let room, let users): "expect online in \(room): \(users.joined(separator: ", "))"
        case .expectRooms(let user, _): "expect the rooms \(user) sees"
        }
    }

    /// A message text as a summary shows it: quoted, its first 40 characters when longer.
    static func shortened(_ text: String) -> String {
        text.count <= 40 ? text.debugDescription : "\(String(text.prefix(40)).debugDescription)… (\(text.count) characters)"
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
