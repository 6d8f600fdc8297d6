import ChatEngine
import Foundation

/// A list of engine commands with their instants, as JSON: how `chat-sim explore
/// --save-failure` writes a shrunk counterexample and `chat-sim replay` reads it back.
///
/// ```json
/// {"format": "chat-engine-script", "version": 1, "seed": 7, "violation": "…",
///  "steps": [{"at": 0, "op": "register", "username": "u0"}, …]}
/// ```
public struct EngineScript: Codable, Hashable, Sendable {
    public static let formatName = "chat-engine-script"

    public var format = EngineScript.formatName
    public var version = 1
    /// The exploration seed the steps came from, if any.
    public var seed: UInt64?
    /// What the steps break, as found when they were saved.
    public var violation: String?
    public var steps: [Step]

    /// A script of `steps`.
    public init(steps: [ScheduledCommand], seed: UInt64? = nil, violation: String? = nil) {
        self.steps = steps.map(Step.init)
        self.seed = seed
        self.violation = violation
    }

    /// The steps as engine commands.
    public var scheduledCommands: [ScheduledCommand] { steps.map(\.scheduled) }

    /// Reads a script, refusing other formats and versions.
    public init(json: Data) throws {
        let script = try JSONDecoder().decode(EngineScript.self, from: json)
        guard script.format == Self.formatName, script.version == 1 else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not a \(Self.formatName) version 1"))
        }
        self = script
    }

    /// The script as pretty-printed JSON.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// One command, flattened: `op` names it, the other fields are its arguments.
    public struct Step: Codable, Hashable, Sendable {
        var at: Int64
        var op: String
        var username: String?
        var user: Int64?
        var session: Int64?
        var room: Int64?
        var name: String?
        var members: [String]?
        var address: String?
        var role: String?
        var text: String?
        var clientMessageID: String?
        var via: Int64?
        var isTyping: Bool?
        var seq: Int64?
        /// The message an edit or a delete names, as the caller had it stored.
        var message: StoredMessage?

        enum CodingKeys: String, CodingKey {
            case at, op, username, user, session, room, name, members, address, role, text, via, seq, message
            case clientMessageID = "client_msg_id"
            case isTyping = "typing"
        }

        init(_ scheduled: ScheduledCommand) {
            at = scheduled.instant.milliseconds
            switch scheduled.command {
            case .register(let username): op = "register"; self.username = username
            case .openSession(let session, let user): op = "open_session"; self.session = session.rawValue; self.user = user.rawValue
            case .closeSession(let session): op = "close_session"; self.session = session.rawValue
            case .createPublicRoom(let user, let name): op = "create_public_room"; self.user = user.rawValue; self.name = name
            case .createGroup(let user, let name, let members): op = "create_group"; self.user = user.rawValue; self.name = name; self.members = members
            case .openPrivateRoom(let user, let other): op = "open_private_room"; self.user = user.rawValue; username = other
            case .subscribe(let session, let address):
                op = "subscribe"; self.session = session.rawValue
                switch address {
                case .id(let room): self.room = room.rawValue
                case .named(let name): self.address = "named"; self.name = name
                case .group(let name): self.address = "group"; self.name = name
                case .privateWith(let other): self.address = "private"; username = other
                }
            case .unsubscribe(let session, let room): op = "unsubscribe"; self.session = session.rawValue; self.room = room.rawValue
            case .addMember(let user, let room, let other): op = "add_member"; self.user = user.rawValue; self.room = room.rawValue; username = other
            case .removeMember(let user, let room, let other): op = "remove_member"; self.user = user.rawValue; self.room = room.rawValue; username = other
            case .changeRole(let user, let room, let other, let role):
                op = "change_role"; self.user = user.rawValue; self.room = room.rawValue; username = other; self.role = role.rawValue
            case .send(let user, let room, let text, let client, let via):
                op = "send"; self.user = user.rawValue; self.room = room.rawValue; self.text = text; clientMessageID = client; self.via = via?.rawValue
            case .typing(let user, let room, let isTyping): op = "typing"; self.user = user.rawValue; self.room = room.rawValue; self.isTyping = isTyping
            case .markRead(let user, let room, let seq, let via):
                op = "mark_read"; self.user = user.rawValue; self.room = room.rawValue; self.seq = seq; self.via = via?.rawValue
            case .edit(let user, let message, let text): op = "edit"; self.user = user.rawValue; self.message = StoredMessage(message); self.text = text
            case .delete(let user, let message): op = "delete"; self.user = user.rawValue; self.message = StoredMessage(message)
            case .tick: op = "tick"
            }
        }

        var scheduled: ScheduledCommand { ScheduledCommand(command, at: Instant(milliseconds: at)) }

        private var command: Command {
            let user = UserID(self.user ?? 0), room = RoomID(self.room ?? 0), session = SessionID(self.session ?? 0)
            switch op {
            case "register": return .register(username: username ?? "")
            case "open_session": return .openSession(session, user: user)
            case "close_session": return .closeSession(session)
            case "create_public_room": return .createPublicRoom(by: user, name: name ?? "")
            case "create_group": return .createGroup(by: user, name: name ?? "", members: members ?? [])
            case "open_private_room": return .openPrivateRoom(by: user, with: username ?? "")
            case "subscribe":
                let target: RoomAddress = switch address {
                case "named": .named(name ?? "")
                case "group": .group(named: name ?? "")
                case "private": .privateWith(username: username ?? "")
                default: .id(room)
                }
                return .subscribe(session, to: target)
            case "unsubscribe": return .unsubscribe(session, from: room)
            case "add_member": return .addMember(by: user, room: room, username: username ?? "")
            case "remove_member": return .removeMember(by: user, room: room, username: username ?? "")
            case "change_role": return .changeRole(by: user, room: room, username: username ?? "", role: Role(rawValue: role ?? "") ?? .member)
            case "send": return .send(by: user, room: room, text: text ?? "", clientMessageID: clientMessageID, via: via.map(SessionID.init))
            case "typing": return .typing(by: user, room: room, isTyping: isTyping ?? true)
            case "mark_read": return .markRead(by: user, room: room, seq: seq ?? 0, via: via.map(SessionID.init))
            case "edit" where message != nil: return .edit(by: user, message: message!.message, text: text ?? "")
            case "delete" where message != nil: return .delete(by: user, message: message!.message)
            default: return .tick
            }
        }
    }

    /// A ``Message`` value as a step names it.
    struct StoredMessage: Codable, Hashable, Sendable {
        var id: Int64
        var room: Int64
        var seq: Int64
        var sender: Int64
        var text: String
        var clientMessageID: String?
        var sentAt: Int64
        var editedAt: Int64?
        var deleted: Bool?

        enum CodingKeys: String, CodingKey {
            case id, room, seq, sender, text
            case clientMessageID = "client_msg_id"
            case sentAt = "sent_at"
            case editedAt = "edited_at"
            case deleted
        }

        init(_ message: Message) {
            id = message.id.rawValue
            room = message.room.rawValue
            seq = message.seq
            sender = message.sender.rawValue
            text = message.text
            clientMessageID = message.clientMessageID
            sentAt = message.sentAt.milliseconds
            editedAt = message.editedAt?.milliseconds
            deleted = message.isDeleted ? true : nil
        }

        var message: Message {
            Message(
                id: MessageID(id), room: RoomID(room), seq: seq, sender: UserID(sender), text: text, clientMessageID: clientMessageID,
                sentAt: Instant(milliseconds: sentAt), editedAt: editedAt.map(Instant.init(milliseconds:)), isDeleted: deleted ?? false
            )
        }
    }
}
