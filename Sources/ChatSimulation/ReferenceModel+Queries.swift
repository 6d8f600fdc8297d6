import ChatEngine

/// The reference model's answers to the queries the server asks the engine, each written from
/// `docs/engine.md` ("Reads") without looking at how the engine answers them.
extension ReferenceModel {
    /// The user registered under `username`, compared case-insensitively.
    func user(named username: String) -> User? { userID(named: username).map { users[index($0)] } }

    /// The public or group room called `name`.
    func room(named name: String) -> Room? { roomID(named: name).map { record($0).room } }

    /// Whether `user` may read room `id` now (never an archived or unknown room).
    func mayRead(_ user: UserID, room id: RoomID) -> Bool {
        guard exists(id), !record(id).room.isArchived else { return false }
        return mayRead(user, record(id))
    }

    /// Every public room, and the groups and private rooms `user` is a member of, by id;
    /// archived rooms are no longer listed.
    func visibleRooms(for user: UserID) -> [Room] {
        let own = user.rawValue >= 1 && user.rawValue <= users.count ? roomsOfUser[index(user)] : []
        return (publicRooms + own).sorted().map { record($0).room }.filter { !$0.isArchived }
    }

    /// The members of a room in the order they joined, with their roles.
    func members(of id: RoomID) -> [Member] { exists(id) ? record(id).members : [] }

    /// Users with at least one session subscribed to the room, ascending.
    func onlineUsers(in id: RoomID) -> [UserID] {
        guard exists(id) else { return [] }
        return Set(record(id).subscribers.map { sessions[$0]!.user }).sorted()
    }

    /// The sessions subscribed to the room, ascending.
    func subscribers(of id: RoomID) -> [SessionID] { exists(id) ? record(id).subscribers : [] }

    /// The seq of the room's newest message (0 before the first, or for no room).
    func lastSeq(of id: RoomID) -> Int64 { exists(id) ? record(id).lastSeq : 0 }

    /// `user`'s read marker in the room (0 when it never moved).
    func readSeq(of user: UserID, in id: RoomID) -> Int64 { readMarkers[id]?[user] ?? 0 }

    /// Message `id` of the room as it now is, if the recent window holds it.
    func recentMessage(_ id: MessageID, in room: RoomID) -> Message? {
        exists(room) ? recentWindow(of: room).first { $0.id == id } : nil
    }

    /// Why `reader` may not read the room: unknown, then not a reader (an archived group has no
    /// members left, so nobody reads it).
    func readRejection(of id: RoomID, by reader: UserID) -> Rejection? {
        guard exists(id) else { return .unknownRoom }
        return mayRead(reader, record(id)) ? nil : .notMember
    }

    /// Why a send would be refused, every check but the duplicate lookup: the sender, the
    /// room, the reader, the session, the text, the client id.
    func sendRejection(by sender: UserID, room id: RoomID, text: String, clientMessageID: String?, via: SessionID?) -> Rejection? {
        do throws(Rejection) {
            _ = try existingUser(sender)
            guard mayRead(sender, try activeRoom(id)) else { throw .notMember }
            if let via {
                guard let session = sessions[via] else { throw .unknownSession }
                guard session.user == sender else { throw .sessionOfAnotherUser }
            }
            try checkText(text)
            if let clientMessageID, clientMessageID.isEmpty || clientMessageID.count > 100 || clientMessageID.unicodeScalars.contains("\u{0}") {
                throw .invalidClientMessageID
            }
            return nil
        } catch {
            return error
        }
    }

    /// Up to `limit` messages after `seq` from the recent window; the seqs the page should
    /// have but the window no longer holds are `missing`.
    func messages(in id: RoomID, for reader: UserID, after seq: Int64, limit: Int) -> Result<MessagePage, Rejection> {
        if let rejection = readRejection(of: id, by: reader) { return .failure(rejection) }
        let last = record(id).lastSeq
        guard limit > 0, seq < last else { return .success(MessagePage(messages: [], missing: nil)) }
        let first = max(seq, 0) + 1
        return .success(page(of: id, from: first, to: min(last, first + Int64(limit) - 1)))
    }

    /// The latest `limit` messages before `seq` (the newest when `nil`), as above.
    func messages(in id: RoomID, for reader: UserID, before seq: Int64?, limit: Int) -> Result<MessagePage, Rejection> {
        if let rejection = readRejection(of: id, by: reader) { return .failure(rejection) }
        let last = record(id).lastSeq
        let upper = min(seq.map { $0 - 1 } ?? last, last)
        guard limit > 0, upper >= 1 else { return .success(MessagePage(messages: [], missing: nil)) }
        return .success(page(of: id, from: max(1, upper - Int64(limit) + 1), to: upper))
    }

    /// Seqs `first` … `last` of a room: those the window holds, and the older ones as missing.
    private func page(of id: RoomID, from first: Int64, to last: Int64) -> MessagePage {
        let held = recentWindow(of: id).filter { $0.seq >= first && $0.seq <= last }
        let oldestHeld = held.first?.seq ?? last + 1
        return MessagePage(messages: Array(held), missing: oldestHeld > first ? first...(oldestHeld - 1) : nil)
    }

    /// The stored message `sender` sent with that client id, as it now is, however old (what a
    /// server's store answers a retry with).
    func storedMessage(from sender: UserID, clientMessageID: String) -> Message? {
        storedClientMessages[ClientKey(sender: sender, id: clientMessageID)].map { record($0.room).messages[Int($0.seq) - 1] }
    }

    /// The earliest typing deadline, if anyone is typing.
    var nextDeadline: Instant? { typing.map(\.deadline).min() }

    /// Every message of a room as it now is, oldest first (what a store holds).
    func storedMessages(in id: RoomID) -> [Message] { exists(id) ? record(id).messages : [] }
}
