import HTTPTypes
import Hummingbird

/// Headers that keep a browser from running anything the server did not ship: a
/// Content-Security-Policy that allows scripts, styles and connections from the server's own
/// origin only (no inline script, no inline style attributes, no `eval`, no framing), no MIME
/// sniffing, and no referrer sent elsewhere. Added to every response a route or the web client's
/// files answer with.
struct SecurityHeaders: RouterMiddleware {
    typealias Context = ChatRequestContext

    /// The policy: `'self'` covers the page's own `ws:`/`wss:` origin for the socket.
    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
        "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
        "form-action 'self'",
    ].joined(separator: "; ")

    private static let referrerPolicy = HTTPField.Name("Referrer-Policy")!

    func handle(_ request: Request, context: ChatRequestContext, next: (Request, ChatRequestContext) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[Self.referrerPolicy] = "no-referrer"
        return response
    }
}
