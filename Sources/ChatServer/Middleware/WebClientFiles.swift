import Foundation
import Hummingbird
import Logging

/// The browser client's files, served at `/` (`index.html`) and by their paths (`/app.css`,
/// `/js/main.js`) for GET and HEAD, when no route answers the path. Every file is sent with
/// `Cache-Control: no-cache` and an `ETag`, so a browser keeps its copy and revalidates it (304)
/// on each use: a new server version is picked up at the next load, without a build step that
/// renames files. Hummingbird's `FileMiddleware` serves them and refuses `..`; a path with a NUL
/// byte (which the file system would cut short: `/js/main.js%00.png`) is refused here, 400.
struct WebClientFiles: RouterMiddleware {
    typealias Context = ChatRequestContext

    /// The client shipped with the package (`Sources/ChatServer/Resources/web`).
    static var bundledFolder: String? {
        Bundle.module.resourceURL?.appendingPathComponent("web", isDirectory: true).path
    }

    private let files: FileMiddleware<ChatRequestContext, LocalFileSystem>

    /// Serves `folder`, or the bundled client when `folder` is nil; nil when there is neither.
    /// Logs the folder it serves.
    init?(folder: String?, logger: Logger) {
        guard let root = folder ?? Self.bundledFolder else { return nil }
        files = FileMiddleware(
            root,
            cacheControl: CacheControl([(MediaType(type: .any), [.noCache])]),
            searchForIndexHtml: true,
            logger: logger
        )
    }

    func handle(_ request: Request, context: ChatRequestContext, next: (Request, ChatRequestContext) async throws -> Response) async throws -> Response {
        guard request.uri.path.removingPercentEncoding?.contains("\0") != true else {
            throw APIError(.badRequest, "Invalid path")
        }
        return try await files.handle(request, context: context, next: next)
    }
}
