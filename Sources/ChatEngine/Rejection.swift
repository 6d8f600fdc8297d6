/// Why the engine refused a command. ``message`` is the exact text a client sees.
public enum Rejection: Error, Hashable, Sendable, CustomStringConvertible {
    /// The user may not read or write this room.
    case notMember
    /// One or more usernames name nobody.
    case unknownUsers([String])
    /// No user has this id.
    case unknownUserID(UserID)
    /// No room has this id or name.
    case unknownRoom
    /// No open session has this id.
    case unknownSession
    /// The session id is already in use.
    case sessionAlreadyOpen
    /// The username is taken (case-insensitively).
    case usernameTaken
    /// The room name is taken by a public or group room.
    case roomNameTaken
    /// The username breaks the rules.
    case invalidUsername
    /// The room name breaks the rules.
    case invalidRoomName
    /// The message is empty or only whitespace.
    case emptyMessage
    /// The message is longer than the limit (in characters).
    case messageTooLong(limit: Int)
    /// The message contains U+0000, which neither store keeps (SQLite cuts a text there,
    /// PostgreSQL refuses it and would fail the whole batch).
    case textContainsNul
    /// Only the owner or an admin may change members.
    case notOwnerOrAdmin
    /// Only the owner may change roles.
    case notOwner
    /// Admins may remove plain members only.
    case cannotRemoveOwnerOrAdmin
    /// Private rooms refuse member changes.
    case privateRoomHasFixedMembers
    /// Public rooms have no members to change.
    case publicRoomHasNoMembers
    /// A private room needs two different users.
    case cannotChatWithYourself
    /// The user is already a member.
    case alreadyMember(String)
    /// The user is not a member.
    case notAMember(String)
    /// The role cannot be assigned (ownership is only inherited).
    case invalidRole
    /// The owner's own role cannot be changed.
    case cannotChangeOwnerRole
    /// The room is archived.
    case roomArchived
    /// The session is already subscribed to the room.
    case alreadySubscribed
    /// The session is not subscribed to the room.
    case notSubscribed
    /// The session belongs to another user.
    case sessionOfAnotherUser
    /// The client message id is empty, too long, or contains U+0000.
    case invalidClientMessageID
    /// No message has this id (or the reader may not see its room).
    case unknownMessage
    /// Only a message's author may edit it.
    case notAuthor
    /// Only a message's author, or a group's owner or an admin, may delete it.
    case notAuthorOrModerator
    /// The message was deleted: it takes no edit and no second delete.
    case messageDeleted
    /// A read marker's seq is not between 0 and the room's last seq.
    case invalidReadSeq(last: Int64)

    /// The human message a client sees.
    public var message: String {
        switch self {
        case .notMember: "You are not a member of this room"
        case .unknownUsers(let names) where names.count == 1: "Unknown user: \(names[0])"
        case .unknownUsers(let names): "Unknown users: \(names.joined(separator: ", "))"
        case .unknownUserID(let id): "Unknown user id \(id.rawValue)"
        case .unknownRoom: "Unknown room"
        case .unknownSession: "Unknown session"
        case .sessionAlreadyOpen: "Session already open"
        case .usernameTaken: "A user with that username already exists"
        case .roomNameTaken: "A room with that name already exists"
        case .invalidUsername: "Username must be 1 to 150 characters: letters, digits and @ . + - _ only"
        case .invalidRoomName: "Room name must be 1 to 100 characters, without '/' or control characters"
        case .emptyMessage: "Message is empty"
        case .messageTooLong(let limit): "Message is longer than \(limit) characters"
        case .textContainsNul: "Message must not contain U+0000 (NUL)"
        case .notOwnerOrAdmin: "Only the room's owner or an admin may change its members"
        case .notOwner: "Only the room's owner may change roles"
        case .cannotRemoveOwnerOrAdmin: "Admins may remove only plain members"
        case .privateRoomHasFixedMembers: "Private rooms have exactly two members"
        case .publicRoomHasNoMembers: "Public rooms have no members"
        case .cannotChatWithYourself: "You cannot chat with yourself"
        case .alreadyMember(let name): "\(name) is already a member of this room"
        case .notAMember(let name): "\(name) is not a member of this room"
        case .invalidRole: "Role must be admin or member"
        case .cannotChangeOwnerRole: "The owner's role cannot be changed"
        case .roomArchived: "This room is archived"
        case .alreadySubscribed: "This session is already in the room"
        case .notSubscribed: "This session is not in the room"
        case .sessionOfAnotherUser: "That session belongs to another user"
        case .invalidClientMessageID: "client_msg_id must be 1 to 100 characters, without U+0000"
        case .unknownMessage: "Unknown message"
        case .notAuthor: "Only the author may edit this message"
        case .notAuthorOrModerator: "Only the author, the room's owner or an admin may delete this message"
        case .messageDeleted: "This message was deleted"
        case .invalidReadSeq(let last): "seq must be between 0 and \(last), the room's last seq"
        }
    }

    public var description: String { message }
}
