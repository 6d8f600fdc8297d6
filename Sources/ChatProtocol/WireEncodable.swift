/// A value that writes itself as JSON through a ``JSONWriter``, without `JSONEncoder`.
///
/// Every REST body and ``ServerFrame`` conforms; so do arrays of conforming values (a JSON list).
public protocol WireEncodable {
    /// Writes this value as one JSON value.
    func write(to writer: inout JSONWriter)

    /// About how many bytes the JSON takes, so the buffer is allocated once (a hint only).
    var estimatedJSONSize: Int { get }
}

extension WireEncodable {
    /// A default size hint.
    public var estimatedJSONSize: Int { 128 }
}

extension Array: WireEncodable where Element: WireEncodable {
    /// Writes the elements as a JSON list.
    public func write(to writer: inout JSONWriter) {
        writer.beginArray()
        for element in self { element.write(to: &writer) }
        writer.endArray()
    }

    /// The sum of the elements' hints.
    public var estimatedJSONSize: Int { reduce(2) { $0 + $1.estimatedJSONSize + 1 } }
}

/// Encodes ``WireEncodable`` values to JSON bytes: the counterpart of ``WireDecoder``.
public enum WireEncoder {
    /// The compact JSON of `value`, as UTF-8 bytes.
    public static func encode(_ value: some WireEncodable) -> [UInt8] {
        var writer = JSONWriter(capacity: value.estimatedJSONSize)
        value.write(to: &writer)
        return writer.bytes
    }

    /// The compact JSON of `value`, as a string.
    public static func encodeString(_ value: some WireEncodable) -> String {
        String(decoding: encode(value), as: UTF8.self)
    }
}
