import Foundation
import NIOCore
import NIOHTTP1

/// The few REST calls `chat-sim load` makes around its sockets, answered from the hub:
/// `GET /healthz`, `POST /api/register`, `POST /api/login`, `GET /api/rooms`,
/// `GET /api/rooms/{id}/online` and `GET /api/rooms/{id}/messages` (the last message's seq
/// only: nothing is stored). Anything else is a 404.
final class CeilingHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let hub: CeilingHub
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(hub: CeilingHub) {
        self.hub = hub
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            guard let head else { return }
            self.head = nil
            let (status, json) = answer(head, body: body.readableBytesView)
            respond(status, json: json, keepAlive: head.isKeepAlive, context: context)
        }
    }

    private func answer(_ head: HTTPRequestHead, body: ByteBufferView) -> (HTTPResponseStatus, Any) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        let parts = path.split(separator: "/").map(String.init)
        let token = head.headers.first(name: "Authorization").flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        switch (head.method, parts) {
        case (.GET, ["healthz"]):
            return (.ok, ["status": "ok"])
        case (.POST, ["api", "register"]):
            guard let name = credentials(body) else { return (.badRequest, ["error": "Invalid JSON"]) }
            guard let user = hub.register(name) else { return (.conflict, ["error": "Username already taken"]) }
            return (.created, ["id": user.id, "username": user.name])
        case (.POST, ["api", "login"]):
            guard let name = credentials(body), let user = hub.user(named: name) else { return (.unauthorized, ["error": "Invalid username or password"]) }
            return (.ok, ["token": "t\(user.id)", "user": ["id": user.id, "username": user.name]])
        default:
            guard token.flatMap(hub.user(token:)) != nil else { return (.unauthorized, ["error": "Authentication credentials were not provided or are invalid"]) }
        }
        switch (head.method, parts) {
        case (.GET, ["api", "rooms"]):
            return (.ok, hub.rooms.map { ["id": $0.id, "name": $0.name, "kind": "public", "members": [String]()] as [String: Any] })
        case (.GET, let parts) where parts.count == 4 && parts[0] == "api" && parts[1] == "rooms" && parts[3] == "online":
            guard let room = Int(parts[2]).flatMap(hub.room(id:)) else { return (.notFound, ["error": "Unknown room"]) }
            return (.ok, room.onlineUsers.map { ["id": $0] })
        case (.GET, let parts) where parts.count == 4 && parts[0] == "api" && parts[1] == "rooms" && parts[3] == "messages":
            guard let room = Int(parts[2]).flatMap(hub.room(id:)) else { return (.notFound, ["error": "Unknown room"]) }
            let seq = room.lastSeq
            return (.ok, seq == 0 ? [] : [["seq": seq]])
        default:
            return (.notFound, ["error": "Not Found"])
        }
    }

    /// The `username` of a `{"username","password"}` body.
    private func credentials(_ body: ByteBufferView) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        return object?["username"] as? String
    }

    private func respond(_ status: HTTPResponseStatus, json: Any, keepAlive: Bool, context: ChannelHandlerContext) {
        let data = (try? JSONSerialization.data(withJSONObject: json)) ?? Data("{}".utf8)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: "\(data.count)")
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: data)))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive { done.whenComplete { _ in context.close(promise: nil) } }
    }
}
