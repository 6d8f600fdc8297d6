import ChatProtocol
import ChatService
import Hummingbird
import NIOCore

/// `GET /healthz`, `GET /metrics` and `GET /api/openapi.json`: no token needed.
struct OperationsRoutes {
    let services: ServerServices

    func add(to router: Router<ChatRequestContext>) {
        router.get("healthz") { _, _ in
            guard services.chat.isHealthy else { throw ServiceError.storageUnavailable }
            return JSONResponse.make(.ok, HealthBody())
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: services.metrics.render()))
            )
        }
        let document = OpenAPIDocument.bytes
        router.get("api/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: JSONResponse.contentType], body: .init(byteBuffer: document))
        }
    }
}

/// `{"status":"ok"}`.
struct HealthBody: WireEncodable {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("status", "ok")
        writer.endObject()
    }

    var estimatedJSONSize: Int { 16 }
}
