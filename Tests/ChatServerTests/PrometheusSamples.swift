/// The samples of a Prometheus text exposition (`/metrics`) by name and labels, so a test
/// compares numbers instead of searching the text (where `… 1` also matches `… 10`).
struct PrometheusSamples {
    /// A line that is neither a comment nor a sample.
    struct Malformed: Error, CustomStringConvertible {
        let line: String
        var description: String { "not a Prometheus sample: \(line)" }
    }

    private struct Key: Hashable {
        let name: String
        let labels: [String: String]
    }

    private var values: [Key: Double] = [:]

    /// Parses `name{label="value",…} value [timestamp]` lines; `#` lines are skipped.
    init(_ text: String) throws {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let (key, value) = try Self.sample(line)
            values[key] = value
        }
    }

    /// The value of the sample with this name and exactly these labels, or nil if there is none.
    subscript(_ name: String, labels labels: [String: String] = [:]) -> Double? {
        values[Key(name: name, labels: labels)]
    }

    private static func sample(_ line: Substring) throws -> (Key, Double) {
        var rest = line
        let name = rest.prefix { $0 != "{" && $0 != " " }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest.removeFirst()
            while rest.first != "}" {
                let label = rest.prefix { $0 != "=" }
                rest = rest.dropFirst(label.count)
                guard !label.isEmpty, rest.hasPrefix("=\"") else { throw Malformed(line: String(line)) }
                rest = rest.dropFirst(2)
                var value = ""
                while true {
                    guard let character = rest.popFirst() else { throw Malformed(line: String(line)) }
                    if character == "\"" { break }
                    if character == "\\" {
                        guard let escaped = rest.popFirst() else { throw Malformed(line: String(line)) }
                        value.append(escaped == "n" ? "\n" : escaped)
                    } else {
                        value.append(character)
                    }
                }
                labels[String(label)] = value
                if rest.first == "," { rest.removeFirst() }
            }
            rest.removeFirst()
        }
        let fields = rest.split(separator: " ")
        guard !name.isEmpty, (1...2).contains(fields.count), let value = Double(fields[0]) else {
            throw Malformed(line: String(line))
        }
        return (Key(name: String(name), labels: labels), value)
    }
}

extension TestAPI {
    /// `GET /metrics`, parsed.
    func metrics() async throws -> PrometheusSamples {
        try PrometheusSamples(try await request(.get, "/metrics").body)
    }
}
