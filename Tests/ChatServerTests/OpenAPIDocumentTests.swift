@testable import ChatServer
import Foundation
import Logging
import Testing

/// The served OpenAPI document and the router agree: every route is described, every described
/// operation is served.
@Suite struct OpenAPIDocumentTests {
    @Test func theDocumentAndTheRoutesNameTheSameOperations() async throws {
        let server = try await ChatServer(configuration: TestServer.configuration(), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let served = Set(server.makeRouter().routes.map { route in
            "\(route.method.rawValue) \(Self.normalized(route.path.description))"
        })
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.bytes.readableBytesView)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let described = Set(paths.flatMap { path, operations in
            operations.keys.filter { ["get", "post", "put", "patch", "delete"].contains($0) }.map { "\($0.uppercased()) \(path)" }
        })
        #expect(described.count >= 17, "the document is the real one: \(described.count) operations")
        #expect(served.subtracting(described).isEmpty, "served but not described: \(served.subtracting(described).sorted())")
        #expect(described.subtracting(served).isEmpty, "described but not served: \(described.subtracting(served).sorted())")
    }

    /// A router path in the document's form: `/api/rooms/{room_id}` (Hummingbird writes captures
    /// as `:name` or `{name}`).
    static func normalized(_ path: String) -> String {
        "/" + path.split(separator: "/").map { part in part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part) }.joined(separator: "/")
    }
}
