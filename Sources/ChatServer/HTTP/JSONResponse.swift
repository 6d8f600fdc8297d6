import ChatProtocol
import Hummingbird
import NIOCore

/// JSON responses.
enum JSONResponse {
    /// The content type of every JSON body.
    static let contentType = "application/json; charset=utf-8"

    /// A response with `body` encoded as JSON.
    static func make(_ status: HTTPResponse.Status, _ body: some WireEncodable) -> Response {
        Response(
            status: status,
            headers: [.contentType: contentType],
            body: .init(byteBuffer: ByteBuffer(bytes: WireEncoder.encode(body)))
        )
    }
}
