import ChatEngine

/// What a seed-protocol socket receives for an engine delivery, shared by the server and the
/// in-process fixture replay so both produce the same bytes.
public enum SeedFrames {
    /// The encoded frame for `payload`, and the close code that follows it (for a socket whose
    /// user left the room); `nil` for payloads the seed protocol has no frame for: presence,
    /// membership changes, edits, deletions, read markers, joined and left rooms (old clients take any
    /// frame that is not `typing` or `error` for a message; they read the rest over REST).
    public static func encode(_ payload: Payload, in engine: borrowing ChatEngine) -> (frame: [UInt8], closeCode: UInt16?)? {
        switch payload {
        case .message(let message):
            return (ServerFrame.encodedMessage(message, username: username(message.sender, engine), roomName: roomName(message.room, engine)), nil)
        case .typing(let room, let user, let isTyping):
            return (ServerFrame.typing(room: roomName(room, engine), username: username(user, engine), isTyping: isTyping).encoded(), nil)
        case .unsubscribed:
            return (ServerFrame.error(Rejection.notMember.message).encoded(), 4_000 + UInt16(HTTPStatusCode.of(.notMember)))
        case .presence, .membership, .edited, .deleted, .readMarker, .joined, .left:
            return nil
        }
    }

    private static func username(_ user: UserID, _ engine: borrowing ChatEngine) -> String { engine.user(user)?.username ?? "" }
    private static func roomName(_ room: RoomID, _ engine: borrowing ChatEngine) -> String { engine.room(room)?.name ?? "" }
}

/// The HTTP status that stands for an engine rejection (and, plus 4000, a socket's close code).
public enum HTTPStatusCode {
    /// 403 not allowed, 404 unknown, 401 unknown user or session, 409 conflict, 400 bad input.
    public static func of(_ rejection: Rejection) -> Int {
        switch rejection {
        case .notMember, .notOwnerOrAdmin, .notOwner, .cannotRemoveOwnerOrAdmin, .cannotChangeOwnerRole, .sessionOfAnotherUser,
             .notAuthor, .notAuthorOrModerator:
            403
        case .unknownUsers, .unknownRoom, .notAMember, .roomArchived, .unknownMessage:
            404
        case .unknownUserID, .unknownSession:
            401
        case .usernameTaken, .roomNameTaken, .alreadyMember, .sessionAlreadyOpen, .alreadySubscribed:
            409
        case .invalidUsername, .invalidRoomName, .emptyMessage, .messageTooLong, .textContainsNul, .privateRoomHasFixedMembers,
             .publicRoomHasNoMembers, .cannotChatWithYourself, .invalidRole, .notSubscribed, .invalidClientMessageID,
             .invalidReadSeq:
            400
        case .messageDeleted:
            410
        }
    }
}
