/// What the service reports as it works, for metrics (the server counts these in `/metrics`).
public protocol ServiceObserver: Sendable {
    /// A message was stored (a duplicate is not).
    func messageAccepted()
    /// A socket frame was refused; `reason` is a short label (`invalid_frame`, `rate_limited` …).
    func frameRefused(reason: String)
}

/// Reports nothing.
public struct IgnoringObserver: ServiceObserver {
    public init() {}
    public func messageAccepted() {}
    public func frameRefused(reason: String) {}
}
