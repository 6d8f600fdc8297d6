/// Every REST error: `{"error": "<human message>"}`.
public struct ErrorBody: Codable, Hashable, Sendable, WireEncodable {
    /// The human message.
    public var error: String

    /// Creates a body.
    public init(error: String) {
        self.error = error
    }

    /// The body for a wire error, with its exact message.
    public init(_ error: WireError) {
        self.error = error.message
    }

    /// Writes `{"error":…}`.
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("error", error)
        writer.endObject()
    }

    /// A size hint.
    public var estimatedJSONSize: Int { 16 + error.utf8.count }
}
