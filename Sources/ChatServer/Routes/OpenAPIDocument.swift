import Foundation
import NIOCore

/// The OpenAPI 3.1 description of the REST API (and, in `x-websockets`, the sockets), served at
/// `/api/openapi.json`: the package resource `Resources/openapi.json`, read once.
/// `OpenAPIDocumentTests` checks that it names every served route and serves every path it
/// names; `scripts/schemathesis.sh` checks the running server against it in CI.
enum OpenAPIDocument {
    /// The document's bytes (an empty object if the resource is missing, which the tests catch).
    static let bytes: ByteBuffer = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"), let data = try? Data(contentsOf: url) else {
            return ByteBuffer(string: "{}")
        }
        return ByteBuffer(bytes: data)
    }()
}
