/// The kinds of ``Action``, for counting in a report.
enum ActionKind: Int, CaseIterable, CustomStringConvertible {
    case register, connect, connectSeed, disconnect, createRoom, createGroup, openPrivateRoom
    case subscribe, unsubscribe, addMember, removeMember, changeRole, send, typing, markRead, edit, delete, tick, restart

    init(_ action: Action) {
        self = switch action {
        case .register: .register
        case .connect: .connect
        case .connectSeed: .connectSeed
        case .disconnect: .disconnect
        case .createRoom: .createRoom
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
        case .restart: .restart
        }
    }

    var description: String {
        switch self {
        case .register: "register"
        case .connect: "connect v1"
        case .connectSeed: "connect seed"
        case .disconnect: "disconnect"
        case .createRoom: "createRoom"
        case .createGroup: "createGroup"
        case .openPrivateRoom: "openPrivateRoom"
        case .subscribe: "subscribe"
        case .unsubscribe: "unsubscribe"
        case .addMember: "addMember"
        case .removeMember: "removeMember"
        case .changeRole: "changeRole"
        case .send: "send"
        case .typing: "typing"
        case .markRead: "markRead"
        case .edit: "edit"
        case .delete: "delete"
        case .tick: "tick"
        case .restart: "restart"
        }
    }
}
