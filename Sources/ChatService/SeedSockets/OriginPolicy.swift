/// Which browser origins may open sockets: the listed ones, or by default pages served from the
/// server's own host name (any port, any scheme).
struct OriginPolicy {
    let allowed: [String]

    /// Whether a request with `Origin: origin`, addressed to `host` (the `Host` header), may open a socket.
    func allows(origin: String, host: String?) -> Bool {
        if !allowed.isEmpty {
            return allowed.contains { $0.lowercased() == origin.lowercased() }
        }
        guard let host, let schemeEnd = origin.range(of: "://") else { return false }
        return Self.hostName(String(origin[schemeEnd.upperBound...])) == Self.hostName(host)
    }

    /// `host[:port]` without the port, lowercased (IPv6 literals keep their brackets).
    static func hostName(_ authority: String) -> String {
        let lowered = authority.lowercased()
        if lowered.hasPrefix("["), let end = lowered.firstIndex(of: "]") { return String(lowered[...end]) }
        return String(lowered.split(separator: ":", maxSplits: 1).first ?? "")
    }
}
