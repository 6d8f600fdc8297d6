import ChatEngine
import ChatSimulation

/// A reproducible stream of commands — valid ones and forbidden ones — over a few users,
/// rooms and sessions, with the clock moving between them.
public struct RandomScript {
    private var random: SplitMix64
    private let names: [String]
    private let roomNames: [String]
    private let sessionIDs: ClosedRange<Int64>
    private var now = Instant.zero

    /// A script whose commands depend only on `seed`.
    public init(seed: UInt64, users: Int = 6, sessions: ClosedRange<Int64> = 1...10, startingAt start: Instant = .zero) {
        random = SplitMix64(seed: seed)
        names = (0..<users).map { "user\($0)" }
        roomNames = ["lobby", "random", "team", "ops", "dev", "design"]
        sessionIDs = sessions
        now = start
    }

    /// The next command and the instant at which it happens.
    public mutating func next() -> (Command, Instant) {
        now = now.advanced(by: Int64.random(in: 0...1_500, using: &random))
        return (command(), now)
    }

    private mutating func pick<T>(_ values: [T]) -> T { values.randomElement(using: &random)! }
    private mutating func user() -> UserID { UserID(Int64.random(in: 1...Int64(names.count + 1), using: &random)) }
    private mutating func member() -> String { pick(names) }
    private mutating func room() -> RoomID { RoomID(Int64.random(in: 1...16, using: &random)) }
    private mutating func session() -> SessionID { SessionID(Int64.random(in: sessionIDs, using: &random)) }
    private mutating func name() -> String { pick(names + ["ghost"]) }

    private mutating func command() -> Command {
        switch Int.random(in: 0..<100, using: &random) {
        case 0..<6: return .register(username: name())
        case 6..<14: return .openSession(session(), user: user())
        case 14..<18: return .closeSession(session())
        case 18..<21: return .createPublicRoom(by: user(), name: pick(Array(roomNames.prefix(2))))
        case 21..<25: return .createGroup(by: user(), name: pick(Array(roomNames.dropFirst(2))), members: [member(), member(), name()])
        case 25..<28: return .openPrivateRoom(by: user(), with: name())
        case 28..<40:
            let address: RoomAddress = switch Int.random(in: 0..<4, using: &random) {
            case 0: .id(room())
            case 1: .named(pick(roomNames))
            case 2: .group(named: pick(roomNames))
            default: .privateWith(username: name())
            }
            return .subscribe(session(), to: address)
        case 40..<43: return .unsubscribe(session(), from: room())
        case 43..<48: return .addMember(by: user(), room: room(), username: member())
        case 48..<51: return .removeMember(by: user(), room: room(), username: member())
        case 51..<54: return .changeRole(by: user(), room: room(), username: member(), role: pick([.admin, .member, .admin, .owner]))
        case 54..<85:
            let text = pick(["hi", "hello there", "", "  ", String(repeating: "x", count: 4_001), "ok 👍"])
            let clientID: String? = Bool.random(using: &random) ? "c\(Int.random(in: 0..<5, using: &random))" : nil
            let via: SessionID? = Bool.random(using: &random) ? session() : nil
            return .send(by: user(), room: room(), text: text, clientMessageID: clientID, via: via)
        case 85..<95: return .typing(by: user(), room: room(), isTyping: Int.random(in: 0..<4, using: &random) > 0)
        default: return .tick
        }
    }
}

/// The facts among a list of outcomes' events.
public func facts(of outcomes: [Outcome]) -> [Fact] {
    outcomes.flatMap(\.events).compactMap {
        if case .fact(let fact) = $0 { return fact }
        return nil
    }
}
