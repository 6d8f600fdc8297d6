import ChatEngine
import ChatService
import ChatStore

/// Everything a ``ChatServer`` can be told at start.
public struct ServerConfiguration: Sendable {
    /// The address to listen on.
    public var host = "127.0.0.1"
    /// The port to listen on (0 picks a free one).
    public var port = 8000
    /// The SQLite file, `:memory:`, or a PostgreSQL database's `postgres://user@host:port/db` URL.
    public var databasePath = "./chat.sqlite"
    /// How hard the SQLite store works to keep commits through a crash (PostgreSQL commits as
    /// its server is configured).
    public var durability = Durability.normal
    /// The engine's limits (typing timeout, recent window, message length).
    public var engine = ChatConfiguration()
    /// bcrypt's cost factor for new password hashes (each step doubles the work).
    public var bcryptCost: UInt8 = 12
    /// How long a login token works, in milliseconds.
    public var tokenLifetime: Int64 = 30 * 24 * 3_600_000
    /// The largest accepted HTTP request body, in bytes.
    public var maxRequestBody = 1 << 20
    /// The largest accepted WebSocket message, in bytes.
    public var maxSocketMessage = 64 << 10
    /// How many frames a socket may have waiting to be written before it is closed as too slow.
    public var outboundQueueLimit = 4_096
    /// Milliseconds a socket may be silent before it is pinged; silent for as long again after
    /// the ping, it is dropped.
    public var socketPingInterval: Int64 = 30_000
    /// Failed logins allowed per username and per client address within ``loginFailureWindow``.
    public var maxLoginFailures = 5
    /// The window of login failures, in milliseconds.
    public var loginFailureWindow: Int64 = 15 * 60_000
    /// Messages a user may send per second on average (REST and sockets together).
    public var sendRatePerSecond = 20.0
    /// Messages a user may send in a burst.
    public var sendBurst = 40.0
    /// Browser origins allowed to open sockets; empty means "the server's own host" only.
    /// Requests without an `Origin` header (non-browser clients) are always allowed.
    public var allowedOrigins: [String] = []
    /// The folder whose files the server serves at `/` (the browser client); nil serves the
    /// client shipped with the package.
    public var webRoot: String?
    /// With a PostgreSQL database several nodes share: within how long of a node's death the others clear its presence.
    public var nodeLease: Duration = .seconds(6)
    /// Where time comes from: the system's clock, or a `ManualClock` in tests.
    public var clock: any ChatClock = WallClock()

    /// The service's part of this configuration.
    public var service: ServiceConfiguration {
        var service = ServiceConfiguration()
        service.engine = engine
        service.tokenLifetime = tokenLifetime
        service.maxLoginFailures = maxLoginFailures
        service.loginFailureWindow = loginFailureWindow
        service.sendRatePerSecond = sendRatePerSecond
        service.sendBurst = sendBurst
        service.allowedOrigins = allowedOrigins
        service.nodeLease = nodeLease
        return service
    }

    /// The defaults of the seed application.
    public init() {}
}
