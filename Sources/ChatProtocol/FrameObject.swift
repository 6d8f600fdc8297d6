/// A client frame's JSON object, read field by field with the wire's exact errors: the seed
/// frames and the v1 frames share these rules. `null` counts as absent for an optional field.
struct FrameObject {
    private let object: JSONObject

    /// Parses a text frame's bytes: a JSON object or "Invalid JSON".
    init(_ bytes: some Collection<UInt8>) throws(WireError) {
        guard case .object(let object) = try JSONParser.parse(bytes) else { throw .invalidJSON }
        self.object = object
    }

    /// Throws for the first field (in document order) not in `allowed` (a handful of names,
    /// looked through in turn: cheaper than building a set for every frame).
    func rejectUnknownFields(allowed: [String]) throws(WireError) {
        for key in object.keys where !allowed.contains(key) { throw .unknownField(key) }
    }

    func optionalString(_ name: String) throws(WireError) -> String? {
        try optional(name, .string) { if case .string(let value) = $0 { value } else { nil } }
    }

    func optionalInteger(_ name: String) throws(WireError) -> Int64? {
        try optional(name, .integer) { if case .integer(let value) = $0 { value } else { nil } }
    }

    func optionalBool(_ name: String) throws(WireError) -> Bool? {
        try optional(name, .boolean) { if case .bool(let value) = $0 { value } else { nil } }
    }

    func string(_ name: String) throws(WireError) -> String {
        guard let value = try optionalString(name) else { throw missing(name, .string) }
        return value
    }

    func integer(_ name: String) throws(WireError) -> Int64 {
        guard let value = try optionalInteger(name) else { throw missing(name, .integer) }
        return value
    }

    func bool(_ name: String) throws(WireError) -> Bool {
        guard let value = try optionalBool(name) else { throw missing(name, .boolean) }
        return value
    }

    /// A required field that is absent is missing; one that is `null` has the wrong type.
    private func missing(_ name: String, _ type: WireType) -> WireError {
        object[name] == nil ? .missingField(name) : .wrongType(field: name, expected: type)
    }

    /// The value of an optional field: `nil` when absent or `null`, a wrong type otherwise.
    private func optional<T>(_ name: String, _ type: WireType, _ convert: (JSONValue) -> T?) throws(WireError) -> T? {
        guard let value = object[name], value != .null else { return nil }
        guard let converted = convert(value) else { throw .wrongType(field: name, expected: type) }
        return converted
    }
}
