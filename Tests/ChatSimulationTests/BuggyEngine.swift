import ChatEngine
import ChatSimulation

/// The real engine with one planted bug, to prove the explorer finds and shrinks it.
struct BuggyEngine: EngineUnderTest {
    /// The bugs a test can plant.
    enum Bug: CaseIterable, CustomStringConvertible {
        /// The 7th message delivered to two or more sessions reaches one session fewer (its highest).
        case dropsRecipientOfSeventhMessage
        /// A non-member of a group is told the room is unknown instead of that they are not a member.
        case misreportsNotMember
        /// A repeated "typing" start is announced again.
        case repeatsTypingStart
        /// `onlineUsers(in:)` forgets the last user when two or more are online.
        case forgetsAnOnlineUser

        /// The invariant each bug breaks.
        var invariant: Invariant {
            switch self {
            case .dropsRecipientOfSeventhMessage: .everySubscriberReceivesEachMessageOnce
            case .misreportsNotMember: .resultsMatchModel
            case .repeatsTypingStart: .typingStopsByDeadline
            case .forgetsAnOnlineUser: .presenceMatchesSessions
            }
        }

        var description: String { "\(invariant)" }
    }

    private var engine: ChatEngine
    private let bug: Bug
    private var sharedMessages = 0

    init(_ bug: Bug, configuration: ChatConfiguration) {
        engine = ChatEngine(configuration: configuration)
        self.bug = bug
    }

    mutating func handle(_ command: Command, at now: Instant) -> Outcome {
        var outcome = engine.handle(command, at: now)
        switch bug {
        case .dropsRecipientOfSeventhMessage:
            for (index, event) in outcome.events.enumerated() {
                guard case .delivery(let delivery) = event, case .success(.sent) = outcome.result, case .message = delivery.payload,
                      delivery.recipients.count >= 2 else { continue }
                sharedMessages += 1
                if sharedMessages == 7 {
                    outcome.events[index] = .delivery(Delivery(to: Array(delivery.recipients.dropLast()), delivery.payload))
                }
            }
        case .misreportsNotMember:
            if outcome.rejection == .notMember, case .send(_, let room, _, _, _) = command, engine.room(room)?.kind == .group {
                outcome.result = .failure(.unknownRoom)
            }
        case .repeatsTypingStart:
            if case .typing(let user, let room, true) = command, outcome.rejection == nil,
               !outcome.events.contains(where: { if case .delivery = $0 { true } else { false } }) {
                let others = engine.subscribers(of: room).filter { engine.sessionUser($0) != user }
                if !others.isEmpty {
                    outcome.events.append(.delivery(Delivery(to: others, .typing(room, user, isTyping: true))))
                }
            }
        case .forgetsAnOnlineUser:
            break
        }
        return outcome
    }

    func onlineUsers(in room: RoomID) -> [UserID] {
        let users = engine.onlineUsers(in: room)
        return bug == .forgetsAnOnlineUser && users.count >= 2 ? Array(users.dropLast()) : users
    }
}
