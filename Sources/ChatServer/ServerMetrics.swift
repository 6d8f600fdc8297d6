import ChatService
import Prometheus

/// What `/metrics` shows, in Prometheus text format.
final class ServerMetrics: ServiceObserver {
    let registry = PrometheusCollectorRegistry()
    let openSockets: Gauge
    let messagesAccepted: Counter
    let deliveries: Counter
    let deliveryLatency: DurationHistogram
    let slowConsumers: Counter
    private static var rejectedFrames: MetricNameDescriptor {
        .init(namespace: "chat", metricName: "rejected_frames", unitName: "total", helpText: "Socket frames refused (answered with an error frame, or failing the connection), by reason")
    }
    private static var requests: MetricNameDescriptor {
        .init(namespace: "chat", metricName: "http_requests", unitName: "total", helpText: "HTTP requests by route and status")
    }

    init() {
        openSockets = registry.makeGauge(descriptor: .init(namespace: "chat", metricName: "open", unitName: "sockets", helpText: "WebSocket connections open now"))
        messagesAccepted = registry.makeCounter(descriptor: .init(namespace: "chat", metricName: "messages_accepted", unitName: "total", helpText: "Messages stored (duplicates excluded)"))
        deliveries = registry.makeCounter(descriptor: .init(namespace: "chat", metricName: "deliveries", unitName: "total", helpText: "Frames handed to sockets"))
        slowConsumers = registry.makeCounter(descriptor: .init(namespace: "chat", metricName: "slow_consumers", unitName: "total", helpText: "Sockets cut off for falling too far behind"))
        deliveryLatency = registry.makeDurationHistogram(
            descriptor: .init(namespace: "chat", metricName: "send_to_delivery", unitName: "seconds", helpText: "From a message's acceptance by the engine to its frames being queued on the sockets, commit included"),
            buckets: [.microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2_500),
                      .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1)]
        )
    }

    func messageAccepted() {
        messagesAccepted.increment()
    }

    /// Counts a refused socket frame by reason.
    func frameRefused(reason: String) {
        registry.makeCounter(descriptor: Self.rejectedFrames, labels: [("reason", reason)]).increment()
    }

    /// Counts an HTTP request by route and status.
    func request(route: String, status: Int) {
        registry.makeCounter(descriptor: Self.requests, labels: [("route", route), ("status", String(status))]).increment()
    }

    /// The text exposition.
    func render() -> [UInt8] { registry.emitToBuffer() }
}
