import Foundation
import Histogram

/// The report of a `chat-sim load` run: the command line, the setup, idle memory, and the
/// sending figures with every check.
struct LoadReport {
    let commandLine: String
    let plan: LoadPlan
    let result: LoadResult

    /// Prints the report to standard output.
    func print() {
        let figures = result.figures
        let stats = figures.stats
        var lines: [String] = []
        lines.append("")
        lines.append("== chat-sim load report ==")
        lines.append("command:   \(commandLine)")
        lines.append("server:    \(([plan.target] + plan.otherNodes).map(\.base).joined(separator: ", "))" + (plan.serverPID.map { " (pid \($0)\(result.serverThreads.map { ", \($0) threads" } ?? ""))" } ?? ""))
        lines.append("client:    \(plan.threads) event loop thread(s); open-file limit soft \(result.fileLimit.softBefore)"
            + (result.fileLimit.soft != result.fileLimit.softBefore ? " raised to \(result.fileLimit.soft)" : "") + ", hard \(result.fileLimit.hard)")
        let perRoom = plan.sockets / plan.rooms
        lines.append("layout:    \(plan.sockets) sockets over \(plan.rooms) rooms (\(perRoom)\(plan.sockets % plan.rooms == 0 ? "" : "–\(perRoom + 1)") per room), \(plan.users) users, \(plan.sendersPerRoom) sender(s) per room")
        lines.append("setup:     login \(format(result.loginSeconds)) s; connect \(format(result.connectSeconds)) s (\(format(Double(plan.sockets) / max(result.connectSeconds, 1e-9))) sockets/s), \(result.connectFailures) failed\(result.firstConnectError.map { " — first: \($0)" } ?? ""); subscribed \(result.allSubscribed ? "all" : "NOT ALL") in \(format(result.subscribeSeconds)) s")
        lines.append("held:      \(result.openAfterHold) of \(plan.sockets) sockets open after \(format(plan.settle)) s settle + \(format(plan.hold)) s hold")
        if let before = result.serverRSSBefore, let idle = result.serverRSSIdle {
            let perSocket = Double(idle - before) * 1024 / Double(plan.sockets)
            lines.append("server RSS: \(kib(before)) before → \(kib(idle)) with \(plan.sockets) idle sockets = \(format(perSocket / 1024)) KiB (\(Double(perSocket).grouped) B) per idle socket"
                + (result.serverRSSAfterHold.map { "; \(kib($0)) after the hold" } ?? ""))
        }
        if let before = result.clientRSSBefore, let idle = result.clientRSSIdle {
            lines.append("client RSS: \(kib(before)) → \(kib(idle)) idle = \(format(Double(idle - before) / Double(plan.sockets))) KiB per socket")
        }
        if plan.sends {
            let window = Double(result.sendStoppedAt - result.sendStartedAt) / 1e9
            lines.append("sending:   \(plan.rate > 0 ? "target \(Double(plan.rate).grouped) msgs/s" : "as fast as acknowledgements allow (rate 0, \(plan.window) in flight per sender)") for \(format(window)) s"
                + (plan.messages.map { " (cap \($0) messages)" } ?? "") + "; drain \(format(Double(result.drainedAt - result.sendStoppedAt) / 1e9)) s, \(result.outstandingAfterDrain) outstanding after it")
            lines.append("messages:  \(stats.sent) sent, \(stats.acknowledged) acknowledged, \(result.unacknowledged) never acknowledged → \(result.messagesPerSecond.grouped) msgs/s")
            lines.append("deliveries: \(stats.deliveries) (\(figures.checkedDeliveries) checked of \(figures.expectedDeliveries) expected) → \(result.deliveriesPerSecond.grouped) deliveries/s")
            lines.append("latency send→delivery (every receiving socket, \(stats.delivery.totalCount) samples): \(percentiles(stats.delivery))")
            lines.append("latency send→ack (the sender's own frame, \(stats.acknowledgement.totalCount) samples):     \(percentiles(stats.acknowledgement))")
            if plan.nodeCount > 1 {
                lines.append("latency send→delivery across nodes (sender and receiver on different nodes, \(stats.crossNodeDelivery.totalCount) samples): \(percentiles(stats.crossNodeDelivery))")
            }
            lines.append("LOST: \(figures.lost) skipped + \(figures.undelivered) not delivered by the end of the drain   DUPLICATED: \(figures.duplicated)   id mismatches: \(figures.idMismatches)   id regressions: \(figures.idRegressions)   own messages out of order: \(figures.ownOutOfOrder)   wrong room: \(figures.wrongRoom)   rooms whose seqs ≠ acknowledged: \(figures.roomsWithUnacknowledgedSeqs)")
            if let before = result.serverCPUBefore, let after = result.serverCPUAfter {
                let span = Double(result.drainedAt - result.sendStartedAt) / 1e9
                lines.append("CPU over send+drain (\(format(span)) s): server \(format(after - before)) s = \(format((after - before) / span)) cores"
                    + ((result.clientCPUBefore).flatMap { b in result.clientCPUAfter.map { a in "; load \(format(a - b)) s = \(format((a - b) / span)) cores" } } ?? ""))
            }
            if let before = result.machineCPUBefore, let after = result.machineCPUAfter {
                let span = Double(result.drainedAt - result.sendStartedAt) / 1e9
                let ours = (result.serverCPUAfter ?? 0) - (result.serverCPUBefore ?? 0) + (result.clientCPUAfter ?? 0) - (result.clientCPUBefore ?? 0)
                lines.append("machine CPU over send+drain: \(format((after - before) / span)) of \(ProcessInfo.processInfo.activeProcessorCount) cores busy; other processes \(format(max(after - before - ours, 0) / span)) cores")
            }
            if let rss = result.serverRSSAfterLoad { lines.append("server RSS after the load: \(kib(rss))" + (result.clientRSSAfterLoad.map { "; client \(kib($0))" } ?? "")) }
        }
        lines.append("errors:    \(stats.errorFrames) error frames\(stats.firstErrorFrame.map { " (first: \($0))" } ?? ""), \(stats.unreadableFrames) unreadable frames, \(stats.unexpectedCloses) unexpected closes\(stats.closeCodes.isEmpty ? "" : " (codes \(stats.closeCodes.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: ", ")))"), \(result.connectFailures) failed connects")
        lines.append(result.passed ? "RESULT:    PASS (no loss, no duplicate, every socket held)" : "RESULT:    FAIL")
        Swift.print(lines.joined(separator: "\n"))
    }

    /// Prints how the server's run compares with the ceiling server's run of the same plan.
    static func printComparison(server: LoadResult, ceiling: LoadResult) {
        func p99(_ result: LoadResult) -> String {
            String(format: "%.3f", Double(result.figures.stats.delivery.valueAtPercentile(99)) / 1000)
        }
        Swift.print("""

            == chat-server against the ceiling (same plan, same machine, one run after the other) ==
            deliveries/s:  \(server.deliveriesPerSecond.grouped) / \(ceiling.deliveriesPerSecond.grouped) = \(String(format: "%.2f", server.deliveriesPerSecond / ceiling.deliveriesPerSecond)) of the ceiling
            messages/s:    \(server.messagesPerSecond.grouped) / \(ceiling.messagesPerSecond.grouped) = \(String(format: "%.2f", server.messagesPerSecond / ceiling.messagesPerSecond)) of the ceiling
            p99 delivery:  \(p99(server)) ms / \(p99(ceiling)) ms
            both runs:     \(server.passed ? "PASS" : "FAIL") / \(ceiling.passed ? "PASS" : "FAIL")
            """)
    }

    private func percentiles(_ histogram: Histogram<UInt64>) -> String {
        guard histogram.totalCount > 0 else { return "none" }
        return [("p50", 50.0), ("p90", 90.0), ("p99", 99.0), ("p99.9", 99.9)]
            .map { "\($0.0) \(milliseconds(histogram.valueAtPercentile($0.1))) ms" }
            .joined(separator: "  ") + "  max \(milliseconds(histogram.max)) ms"
    }

    private func milliseconds(_ microseconds: UInt64) -> String {
        String(format: "%.3f", Double(microseconds) / 1000)
    }

    private func kib(_ value: Int) -> String {
        "\(Double(value).grouped) KiB"
    }
}
