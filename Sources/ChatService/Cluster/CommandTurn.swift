import ChatEngine
import ChatStore

/// A local command waiting for its turn at the ordering point.
struct CommandTurn: Sendable {
    /// The command.
    let command: Command
    /// Runs it on the engine as it then is (nil: the caller's preparation declined it).
    let run: @Sendable () -> RanCommand?
    /// Tells the caller it was declined.
    let declined: @Sendable () -> Void
    /// Tells the caller it could not run.
    let failed: @Sendable (StoreError) -> Void

    /// Whether it may write facts, and so must run under the ordering lock; the others run on
    /// the engine as soon as it has read the log.
    var mayWrite: Bool {
        switch command {
        case .openSession, .closeSession, .unsubscribe, .typing, .tick: false
        case .subscribe(_, to: .id), .subscribe(_, to: .group): false
        case .register, .createPublicRoom, .createGroup, .openPrivateRoom, .subscribe, .addMember, .removeMember, .changeRole, .send,
             .markRead, .edit, .delete: true
        }
    }
}
