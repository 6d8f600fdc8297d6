@testable import ChatServer
import Foundation
import HTTPTypes
import Testing

/// The browser client's files at `/`: what is served, with which headers, and what is refused.
/// (The client itself is tested in a real browser: `scripts/browser-tests.sh`.)
@Suite struct WebClientTests {
    /// A folder standing in for the client, with files whose content the tests know.
    private static func folder() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("web-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("js"), withIntermediateDirectories: true)
        try Data("<!doctype html><title>t</title>".utf8).write(to: root.appendingPathComponent("index.html"))
        try Data("body { color: black; }".utf8).write(to: root.appendingPathComponent("app.css"))
        try Data("export const x = 1;".utf8).write(to: root.appendingPathComponent("js/main.js"))
        return root
    }

    @Test func slashIsTheIndexAndFilesHaveTheirTypesAndCachingHeaders() async throws {
        let root = try Self.folder()
        defer { try? FileManager.default.removeItem(at: root) }
        try await TestServer.run({ $0.webRoot = root.path }) { api in
            let index = try await api.request(.get, "/")
            #expect(index.status == 200)
            #expect(index.body == "<!doctype html><title>t</title>")
            #expect(index.headers[.contentType] == "text/html")
            #expect(index.headers[.cacheControl] == "no-cache")
            #expect(index.headers[.eTag] != nil)
            #expect(index.headers[.contentSecurityPolicy] == SecurityHeaders.contentSecurityPolicy)
            #expect(index.headers[.xContentTypeOptions] == "nosniff")

            let script = try await api.request(.get, "/js/main.js")
            #expect(script.status == 200)
            #expect(script.body == "export const x = 1;")
            #expect(script.headers[.contentType] == "text/javascript")
            let style = try await api.request(.get, "/app.css")
            #expect(style.headers[.contentType] == "text/css")

            let head = try await api.request(.head, "/app.css")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(head.headers[.contentLength] == "22")
        }
    }

    @Test func anUnchangedFileIsAnsweredWith304() async throws {
        let root = try Self.folder()
        defer { try? FileManager.default.removeItem(at: root) }
        try await TestServer.run({ $0.webRoot = root.path }) { api in
            let first = try await api.request(.get, "/js/main.js")
            let tag = try #require(first.headers[.eTag])
            let again = try await api.request(.get, "/js/main.js", headers: [.ifNoneMatch: tag])
            #expect(again.status == 304)
            #expect(again.body.isEmpty)
            let other = try await api.request(.get, "/js/main.js", headers: [.ifNoneMatch: "\"something-else\""])
            #expect(other.status == 200)
        }
    }

    @Test func missingFilesEscapesAndOtherMethodsAreRefusedInTheContractsShape() async throws {
        let root = try Self.folder()
        defer { try? FileManager.default.removeItem(at: root) }
        // A file next to the folder that an escape would reach.
        let secret = root.deletingLastPathComponent().appendingPathComponent("secret-\(UUID().uuidString).txt")
        try Data("secret".utf8).write(to: secret)
        defer { try? FileManager.default.removeItem(at: secret) }
        try await TestServer.run({ $0.webRoot = root.path }) { api in
            let missing = try await api.request(.get, "/nothing.js")
            #expect(missing.status == 404)
            #expect(missing.error == "Not Found")

            for escape in ["/../\(secret.lastPathComponent)", "/%2e%2e/\(secret.lastPathComponent)", "/js/..%2f..%2f\(secret.lastPathComponent)"] {
                let reply = try await api.request(.get, escape)
                #expect(reply.status == 400 || reply.status == 404, "\(escape)")
                #expect(!reply.body.contains("secret"), "\(escape)")
            }

            for truncated in ["/js/main.js%00.png", "/index.html%00", "/js%00"] {
                let reply = try await api.request(.get, truncated)
                #expect(reply.status == 400, "\(truncated)")
                #expect(reply.error == "Invalid path", "\(truncated)")
            }

            let post = try await api.request(.post, "/index.html", json: "{}")
            #expect(post.status == 404)
            #expect(post.error == "Not Found")

            // Routes still answer as before, and API errors keep their shape.
            #expect(try await api.request(.get, "/healthz").body == #"{"status":"ok"}"#)
            #expect(try await api.request(.get, "/api/nothing-here").error == "Not Found")
            #expect(try await api.request(.get, "/api/rooms").status == 401)
        }
    }

    @Test func theBundledClientIsServedWithEveryFileItsPageLoads() async throws {
        let folder = try #require(WebClientFiles.bundledFolder)
        let indexOnDisk = try String(contentsOfFile: folder + "/index.html", encoding: .utf8)
        try await TestServer.run { api in
            let index = try await api.request(.get, "/")
            #expect(index.status == 200)
            #expect(index.body == indexOnDisk)
            #expect(index.headers[.contentSecurityPolicy] == SecurityHeaders.contentSecurityPolicy)
            // Every local file the page names (scripts, styles, icons) is there.
            let references = try Regex(#"(?:src|href)="(/[^"]*)""#)
            let paths = index.body.matches(of: references).map { String($0.output[1].substring ?? "") }
            for path in paths {
                let reply = try await api.request(.get, path)
                #expect(reply.status == 200, "\(path)")
            }
        }
    }
}
