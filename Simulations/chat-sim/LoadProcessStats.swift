import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the load reads about processes: resident memory and CPU time from `/proc`, and the
/// open-file limit, which it raises when the sockets need more.
enum LoadProcessStats {
    /// `VmRSS` of process `pid` (or "self") in KiB.
    static func residentKiB(pid: String) -> Int? {
        statusField("VmRSS:", pid: pid)
    }

    /// The number of threads of process `pid`.
    static func threads(pid: String) -> Int? {
        statusField("Threads:", pid: pid)
    }

    /// User plus system CPU seconds used so far by process `pid` (or "self").
    static func cpuSeconds(pid: String) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name, starting with field 3 (state); utime and stime are 14 and 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Busy CPU seconds of the whole machine so far (all cores: user, nice, system, irq,
    /// softirq, steal), from `/proc/stat`: the share not taken by the server and the load is
    /// what other processes used.
    static func machineBusySeconds() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first, line.hasPrefix("cpu ")
        else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count >= 8 else { return nil }
        let busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]
        return busy / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    private static func statusField(_ name: String, pid: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            return Int(line.dropFirst(name.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
        }
        return nil
    }

    /// The open-file limit: before and after making sure the soft limit covers `needed`.
    struct FileLimit {
        var softBefore: UInt64
        var soft: UInt64
        var hard: UInt64
    }

    /// Raises the soft open-file limit to `needed` (at most the hard limit) if it is lower.
    static func raiseFileLimit(to needed: UInt64) -> FileLimit {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0 else { return FileLimit(softBefore: 0, soft: 0, hard: 0) }
        let before = limit.rlim_cur
        if limit.rlim_cur < needed {
            limit.rlim_cur = min(rlim_t(needed), limit.rlim_max)
            _ = setrlimit(resource, &limit)
            _ = getrlimit(resource, &limit)
        }
        return FileLimit(softBefore: UInt64(before), soft: UInt64(limit.rlim_cur), hard: UInt64(limit.rlim_max))
    }
}
