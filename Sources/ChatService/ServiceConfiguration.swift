import ChatEngine

/// The service's rules that are not the engine's: tokens, login throttling, send rates, origins.
public struct ServiceConfiguration: Sendable {
    /// The engine's limits (typing timeout, recent window, message length).
    public var engine = ChatConfiguration()
    /// How long a login token works, in milliseconds.
    public var tokenLifetime: Int64 = 30 * 24 * 3_600_000
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
    /// With a store several nodes share: within how long of a node's death the others clear its
    /// presence. A node renews its lease three times per this duration, each time for two thirds
    /// of it.
    public var nodeLease: Duration = .seconds(6)
    #if DEBUG
    /// Debug builds only: a bug planted in the service, for exploration's tests.
    public var plantedBug: ServicePlantedBug?
    #endif

    /// The defaults of the seed application.
    public init() {}
}

#if DEBUG
extension ServiceConfiguration {
    /// Whether `bug` is planted in the service.
    func isPlanted(_ bug: ServicePlantedBug) -> Bool { plantedBug == bug }
}
#endif
