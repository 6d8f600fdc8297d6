import ChatEngine

/// The stable machine word of a v1 error frame (`"code"`), beside the human message: clients
/// branch on the code and show the message.
public enum ErrorCode {
    /// The code of an engine rejection.
    public static func of(_ rejection: Rejection) -> String {
        switch rejection {
        case .notMember: "not_member"
        case .unknownUsers, .unknownUserID: "unknown_user"
        case .unknownRoom: "unknown_room"
        case .unknownSession: "unknown_session"
        case .sessionAlreadyOpen: "session_open"
        case .usernameTaken: "username_taken"
        case .roomNameTaken: "room_name_taken"
        case .invalidUsername: "invalid_username"
        case .invalidRoomName: "invalid_room_name"
        case .emptyMessage: "empty_message"
        case .messageTooLong: "too_long"
        case .textContainsNul: "invalid_text"
        case .notOwnerOrAdmin, .notOwner, .cannotRemoveOwnerOrAdmin, .cannotChangeOwnerRole, .sessionOfAnotherUser: "forbidden"
        case .privateRoomHasFixedMembers, .publicRoomHasNoMembers, .cannotChatWithYourself, .invalidRole: "invalid_request"
        case .alreadyMember: "already_member"
        case .notAMember: "not_a_member"
        case .roomArchived: "archived"
        case .alreadySubscribed: "already_subscribed"
        case .notSubscribed: "not_subscribed"
        case .invalidClientMessageID: "invalid_client_msg_id"
        case .unknownMessage: "unknown_message"
        case .notAuthor: "not_author"
        case .notAuthorOrModerator: "not_author_or_moderator"
        case .messageDeleted: "deleted"
        case .invalidReadSeq: "invalid_seq"
        }
    }

    /// The code of a frame that could not be read.
    public static let invalidFrame = "invalid_frame"

    /// The code of an error known only by its HTTP status.
    public static func of(status: Int) -> String {
        switch status {
        case 400: "invalid_request"
        case 401: "not_authenticated"
        case 403: "forbidden"
        case 404: "not_found"
        case 409: "conflict"
        case 429: "rate_limited"
        case 503: "unavailable"
        default: "internal"
        }
    }
}
