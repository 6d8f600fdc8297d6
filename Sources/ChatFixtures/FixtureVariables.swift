/// Values the server chooses (a room's epoch, message ids, a socket's session), carried from the
/// step that receives them to the steps that use them.
///
/// A string that is exactly `"${name}"` (a letter or `_`, then letters, digits and `_`) is a
/// variable. In what an expectation expects, it binds `name` to the value received at that
/// place when `name` is unbound, and must equal that value when it is bound. In a `send` frame
/// and in the fields of `edit`, `delete` and `mark_read`, it is replaced by its value, which
/// keeps its JSON type.
public struct FixtureVariables: Sendable {
    /// Why a step cannot be resolved: a variable it uses has no value.
    public struct UnboundVariable: Error, Equatable, Sendable, CustomStringConvertible {
        /// The variable's name.
        public let name: String

        public var description: String {
            "${\(name)} is not bound: the expectation that binds it did not match"
        }
    }

    private var values: [String: FixtureValue] = [:]

    /// No variable bound.
    public init() {}

    /// The name `string` stands for, when it is a variable.
    public static func name(in string: String) -> String? {
        guard string.hasPrefix("${"), string.hasSuffix("}"), string.count > 3 else { return nil }
        let name = string.dropFirst(2).dropLast()
        guard let first = name.first, first == "_" || (first.isASCII && first.isLetter),
              name.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) })
        else { return nil }
        return String(name)
    }

    /// Every variable named anywhere in `value`.
    public static func names(in value: FixtureValue) -> Set<String> {
        switch value {
        case .string(let string): name(in: string).map { [$0] } ?? []
        case .array(let items): items.reduce(into: []) { $0.formUnion(names(in: $1)) }
        case .object(let fields): fields.values.reduce(into: []) { $0.formUnion(names(in: $1)) }
        case .null, .bool, .number: []
        }
    }

    /// The variables an action uses (replaced before it runs).
    public static func used(by action: FixtureAction) -> Set<String> {
        switch action {
        case .send(_, .json(let frame)): names(in: frame)
        case .edit(_, let message, let text): names(in: message).union(names(in: text))
        case .delete(_, let message): names(in: message)
        case .markRead(_, _, let seq): names(in: seq)
        default: []
        }
    }

    /// The variables an expectation binds (or compares) when it matches.
    public static func bound(by action: FixtureAction) -> Set<String> {
        switch action {
        case .expectFrames(let frames): names(in: .object(frames.mapValues(FixtureValue.array)))
        case .expectHistory(_, _, _, let messages): names(in: .array(messages))
        case .expectRooms(_, let rooms): names(in: .array(rooms))
        case .expectOnline(_, _, let users): names(in: .array(users.map(FixtureValue.string)))
        default: []
        }
    }

    // MARK: - Matching

    /// Whether `received` has everything `expected` has: objects may have more fields, arrays
    /// must have the same length, element by element, and a variable binds or compares. On a
    /// match the variables it binds are kept; on a mismatch nothing is bound.
    public mutating func matches(_ expected: FixtureValue, _ received: FixtureValue) -> Bool {
        var trial = self
        guard trial.bind(expected, received) else { return false }
        self = trial
        return true
    }

    private mutating func bind(_ expected: FixtureValue, _ received: FixtureValue) -> Bool {
        if case .string(let string) = expected, let name = Self.name(in: string) {
            guard let bound = values[name] else {
                values[name] = received
                return true
            }
            return bound == received
        }
        switch (expected, received) {
        case (.object(let expected), .object(let received)):
            for (key, wanted) in expected.sorted(by: { $0.key < $1.key }) {
                guard let actual = received[key], bind(wanted, actual) else { return false }
            }
            return true
        case (.array(let expected), .array(let received)):
            guard expected.count == received.count else { return false }
            for (wanted, actual) in zip(expected, received) where !bind(wanted, actual) { return false }
            return true
        default:
            return expected == received
        }
    }

    // MARK: - Substitution

    /// `value` with every variable replaced by its value.
    public func substitute(_ value: FixtureValue) throws(UnboundVariable) -> FixtureValue {
        switch value {
        case .string(let string):
            guard let name = Self.name(in: string) else { return value }
            guard let bound = values[name] else { throw UnboundVariable(name: name) }
            return bound
        case .array(let items):
            var substituted: [FixtureValue] = []
            for item in items { substituted.append(try substitute(item)) }
            return .array(substituted)
        case .object(let fields):
            var substituted: [String: FixtureValue] = [:]
            for (key, field) in fields { substituted[key] = try substitute(field) }
            return .object(substituted)
        case .null, .bool, .number:
            return value
        }
    }

    /// `action` with the variables it uses replaced by their values.
    public func resolve(_ action: FixtureAction) throws(UnboundVariable) -> FixtureAction {
        switch action {
        case .send(let socket, .json(let frame)): .send(socket: socket, payload: .json(try substitute(frame)))
        case .edit(let user, let message, let text): .edit(as: user, message: try substitute(message), text: try substitute(text))
        case .delete(let user, let message): .delete(as: user, message: try substitute(message))
        case .markRead(let user, let room, let seq): .markRead(as: user, room: room, seq: try substitute(seq))
        default: action
        }
    }

    /// `value` with the variables bound so far shown as their values, for a failure report.
    public func shown(_ value: FixtureValue) -> FixtureValue {
        switch value {
        case .string(let string): Self.name(in: string).flatMap { values[$0] } ?? value
        case .array(let items): .array(items.map(shown))
        case .object(let fields): .object(fields.mapValues(shown))
        case .null, .bool, .number: value
        }
    }
}
