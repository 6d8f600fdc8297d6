import ChatEngine

/// What a store keeps of the facts an engine emitted, and the facts it hands back when the
/// server restarts: the rules of `SQLiteChatStore` (`docs/storage.md`) restated as a small fold,
/// so an exploration can rebuild the engine mid-run exactly as the server does.
///
/// Users and rooms (an archived room comes back archived), the current memberships in the order
/// they were stored (a removed member's row is gone, a role change updates it in place), each
/// room's latest `window` messages as they now are, in id order, then the read markers (a marker
/// never moves back in the store).
struct StoredFacts {
    private struct Membership {
        let room: RoomID
        var member: Member
    }

    private struct MemberKey: Hashable {
        let room: RoomID
        let user: UserID
    }

    private var users: [User] = []
    private var rooms: [Room] = []
    /// Memberships by row number (rows are numbered in the order they were stored).
    private var memberships: [Int: Membership] = [:]
    private var rows: [MemberKey: Int] = [:]
    private var nextRow = 0
    /// Each room's messages by seq - 1.
    private var messages: [RoomID: [Message]] = [:]
    private var readMarkers: [ReadMarker: Int64] = [:]

    private struct ReadMarker: Hashable, Comparable {
        let room: RoomID
        let user: UserID
        static func < (lhs: ReadMarker, rhs: ReadMarker) -> Bool { (lhs.room, lhs.user) < (rhs.room, rhs.user) }
    }

    /// Stores one fact.
    mutating func record(_ fact: Fact) {
        switch fact {
        case .userRegistered(let user):
            users.append(user)
        case .roomCreated(let room):
            rooms.append(room)
        case .memberAdded(let room, let member):
            memberships[nextRow] = Membership(room: room, member: member)
            rows[MemberKey(room: room, user: member.user)] = nextRow
            nextRow += 1
        case .memberRemoved(let room, let user):
            if let row = rows.removeValue(forKey: MemberKey(room: room, user: user)) { memberships[row] = nil }
        case .roleChanged(let room, let user, let role):
            if let row = rows[MemberKey(room: room, user: user)] { memberships[row]?.member.role = role }
        case .roomArchived(let room):
            rooms[Int(room.rawValue) - 1].isArchived = true
        case .messageAccepted(let message):
            messages[message.room, default: []].append(message)
        case .messageEdited(let message), .messageDeleted(let message):
            let position = Int(message.seq) - 1
            guard let stored = messages[message.room], stored.indices.contains(position), stored[position].id == message.id,
                  !stored[position].isDeleted else { return }
            messages[message.room]![position] = message
        case .readMarkerMoved(let room, let user, let seq):
            let key = ReadMarker(room: room, user: user)
            readMarkers[key] = max(readMarkers[key] ?? 0, seq)
        }
    }

    /// The facts a restarting server rebuilds its engine from, keeping `window` messages per room.
    func recover(window: Int) -> [Fact] {
        var facts = users.map(Fact.userRegistered) + rooms.map(Fact.roomCreated)
        facts += memberships.keys.sorted().map { memberships[$0]! }.map { .memberAdded($0.room, $0.member) }
        let kept = rooms.flatMap { (messages[$0.id] ?? []).suffix(max(window, 1)) }
        facts += kept.sorted { $0.id < $1.id }.map(Fact.messageAccepted)
        facts += readMarkers.keys.sorted().map { .readMarkerMoved($0.room, $0.user, seq: readMarkers[$0]!) }
        return facts
    }
}
