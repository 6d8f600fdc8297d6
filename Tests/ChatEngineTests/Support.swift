import ChatEngine
import Testing

/// An engine with a clock the test moves, and shorthands that keep tests readable.
struct Harness {
    var engine: ChatEngine
    var now = Instant.zero

    init(_ configuration: ChatConfiguration = ChatConfiguration()) {
        engine = ChatEngine(configuration: configuration)
    }

    /// Handles a command at the current instant.
    @discardableResult
    mutating func run(_ command: Command) -> Outcome {
        engine.handle(command, at: now)
    }

    /// Moves the clock forward.
    mutating func advance(_ milliseconds: Int64) {
        now = now.advanced(by: milliseconds)
    }

    /// Registers a user, failing the test if it is refused.
    mutating func register(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> UserID {
        guard case .success(.user(let user)) = run(.register(username: name)).result else {
            Issue.record("could not register \(name)", sourceLocation: sourceLocation)
            return UserID(0)
        }
        return user.id
    }

    /// Creates a group, failing the test if it is refused.
    mutating func group(_ name: String, owner: UserID, members: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) -> Room {
        room(run(.createGroup(by: owner, name: name, members: members)), sourceLocation: sourceLocation)
    }

    /// Creates a public room, failing the test if it is refused.
    mutating func publicRoom(_ name: String, by user: UserID, sourceLocation: SourceLocation = #_sourceLocation) -> Room {
        room(run(.createPublicRoom(by: user, name: name)), sourceLocation: sourceLocation)
    }

    /// Opens a session and subscribes it, failing the test if either is refused.
    mutating func connect(_ session: Int64, _ user: UserID, to room: RoomID, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run(.openSession(SessionID(session), user: user)).result == .success(.done), sourceLocation: sourceLocation)
        #expect(run(.subscribe(SessionID(session), to: .id(room))).rejection == nil, sourceLocation: sourceLocation)
    }

    /// Sends a message, failing the test if it is refused.
    @discardableResult
    mutating func send(_ text: String, by user: UserID, in room: RoomID, sourceLocation: SourceLocation = #_sourceLocation) -> Message? {
        guard case .success(.sent(let message)) = run(.send(by: user, room: room, text: text)).result else {
            Issue.record("could not send \(text)", sourceLocation: sourceLocation)
            return nil
        }
        return message
    }

    private func room(_ outcome: Outcome, sourceLocation: SourceLocation) -> Room {
        guard case .success(.room(let room)) = outcome.result else {
            Issue.record("expected a room, got \(outcome.result)", sourceLocation: sourceLocation)
            return Room(id: RoomID(0), kind: .public, name: "", createdBy: UserID(0), createdAt: .zero, pair: nil)
        }
        return room
    }
}

/// Session ids from integers.
func sessions(_ ids: Int64...) -> [SessionID] { ids.map(SessionID.init) }

/// A rejected outcome with no events.
func rejected(_ rejection: Rejection) -> Outcome { Outcome(.failure(rejection)) }

/// A delivery event.
func delivery(_ payload: Payload, to ids: Int64...) -> Event { .delivery(Delivery(to: ids.map(SessionID.init), payload)) }
