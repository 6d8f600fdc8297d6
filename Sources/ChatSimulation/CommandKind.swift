import ChatEngine

/// The kinds of ``Command``, for counting in a report.
enum CommandKind: Int, CaseIterable {
    case register, openSession, closeSession, createPublicRoom, createGroup, openPrivateRoom
    case subscribe, unsubscribe, addMember, removeMember, changeRole, send, typing, markRead, edit, delete, tick

    init(_ command: Command) {
        self = switch command {
        case .register: .register
        case .openSession: .openSession
        case .closeSession: .closeSession
        case .createPublicRoom: .createPublicRoom
        case .createGroup: .createGroup
        case .openPrivateRoom: .openPrivateRoom
        case .subscribe: .subscribe
        case .unsubscribe: .unsubscribe
        case .addMember: .addMember
        case .removeMember: .removeMember
        case .changeRole: .changeRole
        case .send: .send
        case .typing: .typing
        case .markRead: .markRead
        case .edit: .edit
        case .delete: .delete
        case .tick: .tick
        }
    }
}
