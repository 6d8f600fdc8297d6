import ChatEngine
import Foundation
import ChatProtocol
import ChatService
import Hummingbird
import NIOCore

/// Reading what a request carries: its JSON body, path parameters and query.
extension Request {
    /// The body decoded strictly; a 400 with the exact reason when it is not what `T` expects,
    /// a 413 when it is larger than `limit` bytes.
    mutating func decode<T: Decodable>(_ type: T.Type, limit: Int) async throws -> T {
        let body: ByteBuffer
        do {
            body = try await collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, "Request body is larger than \(limit) bytes")
        }
        do throws(WireError) {
            return try WireDecoder.decode(type, from: body.readableBytesView)
        } catch {
            throw APIError(ServiceError(error))
        }
    }

    /// The `limit` query parameter: 1–200, 50 when absent.
    func pageLimit() throws -> Int {
        guard let text = uri.queryParameters.get("limit") else { return 50 }
        guard let value = Int(text), (1...200).contains(value) else {
            throw APIError(.badRequest, "limit must be an integer from 1 to 200")
        }
        return value
    }

    /// A positive integer query parameter, if present.
    func positiveQuery(_ name: String) throws -> Int64? {
        guard let text = uri.queryParameters.get(name) else { return nil }
        guard let value = Int64(text), value >= 1 else { throw APIError(.badRequest, "\(name) must be a positive integer") }
        return value
    }

    /// A non-negative integer query parameter, if present.
    func nonNegativeQuery(_ name: String) throws -> Int64? {
        guard let text = uri.queryParameters.get(name) else { return nil }
        guard let value = Int64(text), value >= 0 else { throw APIError(.badRequest, "\(name) must be a non-negative integer") }
        return value
    }
}

extension ChatRequestContext {
    /// The `room_id` path parameter.
    func roomID() throws -> RoomID {
        guard let text = parameters.get("room_id"), let value = Int64(text), value >= 1 else {
            throw APIError(.badRequest, "room_id must be a positive integer")
        }
        return RoomID(value)
    }

    /// The `message_id` path parameter.
    func messageID() throws -> MessageID {
        guard let text = parameters.get("message_id"), let value = Int64(text), value >= 1 else {
            throw APIError(.badRequest, "message_id must be a positive integer")
        }
        return MessageID(value)
    }

    /// The `username` path parameter.
    func usernameParameter() throws -> String {
        guard let name = parameters.get("username"), !name.isEmpty else { throw APIError(.badRequest, "username is missing") }
        return name.removingPercentEncoding ?? name
    }
}
