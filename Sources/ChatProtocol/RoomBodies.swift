import ChatEngine

/// A room as clients see it: `{"id","name","kind","members"}`, from `GET /api/rooms` and the
/// room endpoints. `GET /api/rooms` adds the caller's read state: `"last_seq"`, `"read_seq"`,
/// `"unread"` (new fields after the seed's).
public struct RoomBody: Codable, Hashable, Sendable, WireEncodable {
    /// The room's id.
    public var id: Int64
    /// Its name (for a private room, the two usernames, such as `"alice, bob"`).
    public var name: String
    /// `"public"`, `"group"` or `"private"`.
    public var kind: String
    /// The members' usernames (empty for a public room).
    public var members: [String]
    /// A group's roles by username (`"owner"`, `"admin"`, `"member"`); absent for public and
    /// private rooms.
    public var roles: [String: String]?
    /// The seq of the room's newest message, in a room list.
    public var lastSeq: Int64?
    /// The caller's read marker, in a room list.
    public var readSeq: Int64?
    /// How many messages after the read marker others sent (deleted ones not counted), in a room list.
    public var unread: Int?

    /// Creates a body.
    public init(
        id: Int64, name: String, kind: String, members: [String], roles: [String: String]? = nil, lastSeq: Int64? = nil, readSeq: Int64? = nil,
        unread: Int? = nil
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.members = members
        self.roles = roles
        self.lastSeq = lastSeq
        self.readSeq = readSeq
        self.unread = unread
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, kind, members, roles, unread
        case lastSeq = "last_seq"
        case readSeq = "read_seq"
    }

    /// Writes `{"id":…,"name":…,"kind":…,"members":[…]}`, then a group's `roles` (in member
    /// order), then the read state when present.
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", id)
        writer.field("name", name)
        writer.field("kind", kind)
        writer.field("members", members)
        if let roles {
            writer.key("roles")
            writer.beginObject()
            for member in members { if let role = roles[member] { writer.field(member, role) } }
            writer.endObject()
        }
        if let lastSeq { writer.field("last_seq", lastSeq) }
        if let readSeq { writer.field("read_seq", readSeq) }
        if let unread { writer.field("unread", Int64(unread)) }
        writer.endObject()
    }

    /// A size hint.
    public var estimatedJSONSize: Int { members.reduce(64 + name.utf8.count) { $0 + $1.utf8.count * (roles == nil ? 1 : 2) + (roles == nil ? 3 : 16) } }
}

/// `POST /api/rooms`: `{"name","kind"?}`.
public struct CreateRoomRequest: Codable, Hashable, Sendable {
    /// The room's name.
    public var name: String
    /// `"public"` (the default when absent) or `"group"`, as sent; see ``roomKind``.
    public var kind: String?

    /// Creates a request.
    public init(name: String, kind: String? = nil) {
        self.name = name
        self.kind = kind
    }

    /// The kind asked for: `.public` when absent, `nil` when it is neither `"public"` nor
    /// `"group"` (answer 400 with ``invalidKindMessage``).
    public var roomKind: RoomKind? {
        switch kind {
        case nil, "public": .public
        case "group": .group
        default: nil
        }
    }

    /// The error for a `kind` other than `"public"` or `"group"`.
    public static let invalidKindMessage = "Room kind must be public or group"
}

/// `POST /api/rooms/with-members`: `{"name","members":[usernames]}`.
public struct CreateRoomWithMembersRequest: Codable, Hashable, Sendable {
    /// The group room's name.
    public var name: String
    /// The usernames of the members besides the caller.
    public var members: [String]

    /// Creates a request.
    public init(name: String, members: [String]) {
        self.name = name
        self.members = members
    }
}

/// `POST /api/rooms/{room_id}/read`: `{"seq"}`, the highest seq the caller has read.
public struct ReadMarkerRequest: Codable, Hashable, Sendable {
    /// The seq read up to.
    public var seq: Int64

    /// Creates a request.
    public init(seq: Int64) {
        self.seq = seq
    }
}

/// `POST /api/rooms/{room_id}/members`: `{"username"}`.
public struct AddMemberRequest: Codable, Hashable, Sendable {
    /// Who to add.
    public var username: String

    /// Creates a request.
    public init(username: String) {
        self.username = username
    }
}

/// `PATCH /api/rooms/{room_id}/members/{username}`: `{"role"}`, `"admin"` or `"member"`.
public struct ChangeRoleRequest: Codable, Hashable, Sendable {
    /// The role as sent; see ``engineRole``.
    public var role: String

    /// Creates a request.
    public init(role: String) {
        self.role = role
    }

    /// The role named, `nil` for a name that is no role (answer 400 with
    /// ``ChatEngine/Rejection/invalidRole``'s message, "Role must be admin or member"). `owner`
    /// is a role: the engine refuses to give it, after its own checks of the room and the caller.
    public var engineRole: Role? { Role(rawValue: role) }
}
