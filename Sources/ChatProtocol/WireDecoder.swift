/// Decodes request bodies and other `Decodable` values from client bytes, strictly.
///
/// Unlike `JSONDecoder`, it rejects what a lenient decoder lets through, with a message a
/// client can act on (``WireError/message``):
/// - bytes that are not UTF-8: "Invalid UTF-8"; not JSON, or not an object at the top level:
///   "Invalid JSON";
/// - a field the type does not define: "Unknown field: name" (unless unknown fields are allowed);
/// - a field given twice: "Duplicate field: name";
/// - a required field that is absent: "Missing field: name";
/// - a value of the wrong JSON type: "Field 'name' must be a string" (an integer, a boolean,
///   a list of strings …). An integer field takes only numbers written as integers (`1.5` and
///   `1e3` are wrong types); a required field's `null` is a wrong type, an optional field's
///   `null` means absent.
///
/// Nested fields are named by their path, such as `user.id`.
public enum WireDecoder {
    /// Decodes a `T` from JSON bytes.
    ///
    /// - Parameters:
    ///   - type: the type to decode, usually a request body such as ``SendMessageRequest``.
    ///   - bytes: the UTF-8 JSON text.
    ///   - allowingUnknownFields: `false` (the default, for everything a client sends) rejects
    ///     fields the type does not define; `true` suits a client reading server responses,
    ///     which may grow new fields.
    public static func decode<T: Decodable>(
        _ type: T.Type,
        from bytes: some Collection<UInt8>,
        allowingUnknownFields: Bool = false
    ) throws(WireError) -> T {
        let value = try JSONParser.parse(bytes)
        let decoder = StrictDecoder(value: value, codingPath: [], allowsUnknownFields: allowingUnknownFields)
        do {
            return try T(from: decoder)
        } catch let error as WireError {
            throw error
        } catch {
            // A type's own validation threw something else (`DecodingError.dataCorrupted`, say).
            throw .invalidJSON
        }
    }

    /// Decodes a `T` from JSON text.
    public static func decode<T: Decodable>(
        _ type: T.Type,
        from text: String,
        allowingUnknownFields: Bool = false
    ) throws(WireError) -> T {
        try decode(type, from: text.utf8, allowingUnknownFields: allowingUnknownFields)
    }
}
