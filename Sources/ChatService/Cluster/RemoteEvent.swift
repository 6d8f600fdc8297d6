import ChatEngine

/// What a node tells the others about its own sockets, which live in no store: sessions opening
/// and closing, their subscriptions, typing. The others hold those sessions as remote ones, so
/// presence and typing are the whole cluster's.
enum RemoteEvent: Codable, Hashable, Sendable {
    /// A session of the sender opened.
    case opened(session: Int64, user: UserID)
    /// A session of the sender closed (it leaves every room).
    case closed(session: Int64)
    /// A session of the sender subscribed to a room.
    case subscribed(session: Int64, room: RoomID)
    /// A session of the sender unsubscribed.
    case unsubscribed(session: Int64, room: RoomID)
    /// A user of the sender started or stopped typing.
    case typing(user: UserID, room: RoomID, isTyping: Bool)
    /// A login token was revoked through the sender (logout): the token's sockets close here too,
    /// and a cached copy of it stops working at once. The token's SHA-256 hash, never the token.
    case loggedOut(tokenHash: [UInt8])
    /// The sender (re)started listening and knows none of the others' sessions: each node
    /// answers with its own.
    case hello
    /// The sender's sessions are all gone (it rebuilt its engine and closed every socket).
    case reset
}

/// One notice between nodes: who sends it and its events, in order, as JSON.
struct ClusterNotice: Codable, Hashable, Sendable {
    /// The sending node's name.
    let node: String
    /// The log position the sender's engine held when the events happened: a receiver applies
    /// the log up to it first (a subscription to a room created just before), and no further
    /// (a message committed after the subscription reaches it after the presence).
    let position: Int64
    /// Its events.
    let events: [RemoteEvent]

    /// At most this many events go in one notice (PostgreSQL's payloads stay under 8 000 bytes).
    static let eventsPerNotice = 64
}
