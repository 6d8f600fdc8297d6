import Hummingbird
import Logging

/// Logs each request once with its id, method, path (never its query: a browser socket's
/// `?token=` must not reach the logs), status and duration, and counts it for `/metrics`.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = ChatRequestContext
    let metrics: ServerMetrics

    func handle(_ request: Request, context: ChatRequestContext, next: (Request, ChatRequestContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let status: Int
        do {
            let response = try await next(request, context)
            status = response.status.code
            record(request, context, status: status, start: start)
            return response
        } catch let error as any HTTPResponseError {
            record(request, context, status: error.status.code, start: start)
            throw error
        } catch {
            record(request, context, status: 500, start: start)
            throw error
        }
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
    }

    private func record(_ request: Request, _ context: ChatRequestContext, status: Int, start: ContinuousClock.Instant) {
        let route = context.endpointPath ?? "unmatched"
        metrics.request(route: "\(request.method.rawValue) \(route)", status: status)
        context.logger.info("request", metadata: [
            "method": "\(request.method.rawValue)",
            "path": "\(request.uri.path)",
            "status": "\(status)",
            "ms": "\(Self.milliseconds(ContinuousClock.now - start))",
        ])
    }
}
