import Foundation
import NIOCore
import NIOPosix

/// One run of `chat-sim load`, phase by phase: users, sockets, subscription, idle memory, hold,
/// sending, drain, and the merged figures.
struct LoadRun {
    let plan: LoadPlan

    /// Runs the plan and returns its figures.
    func run() async throws -> LoadResult {
        let clock = LoadClock()
        let rest = LoadREST(base: plan.target.base)
        let pid = plan.serverPID.map(String.init)
        var result = LoadResult()
        result.fileLimit = LoadProcessStats.raiseFileLimit(to: UInt64(plan.sockets + 1_024))
        guard result.fileLimit.soft >= UInt64(plan.sockets + 64) else {
            throw LoadError("the open-file limit (\(result.fileLimit.soft)) is too low for \(plan.sockets) sockets")
        }
        guard await rest.isHealthy() else { throw LoadError("no healthy server at \(plan.target.base) (GET /healthz)") }

        // Users.
        var phase = clock.nanoseconds()
        let tokens = try await logIn(rest)
        result.loginSeconds = seconds(since: phase, clock)
        print("  \(plan.users) users registered and logged in in \(format(result.loginSeconds)) s")

        // Sockets.
        result.serverRSSBefore = pid.flatMap(LoadProcessStats.residentKiB)
        result.clientRSSBefore = LoadProcessStats.residentKiB(pid: "self")
        let group = MultiThreadedEventLoopGroup(numberOfThreads: plan.threads)
        let budget = LoadBudget(messages: plan.messages)
        var loops: [NIOLoopBound<LoadLoop>] = []
        for (index, eventLoop) in group.makeIterator().enumerated() {
            let rooms = Set((0..<plan.sockets).filter { plan.loop(ofSocket: $0) == index }.map(plan.room(ofSocket:)))
                .sorted().map { ($0, plan.roomName($0)) }
            loops.append(try await eventLoop.submit {
                let loop = LoadLoop(eventLoop: eventLoop, clock: clock, budget: budget)
                for (room, name) in rooms { loop.addRoom(LoadRoomState(index: room, name: name)) }
                return NIOLoopBound(loop, eventLoop: eventLoop)
            }.get())
        }
        phase = clock.nanoseconds()
        (result.connectFailures, result.firstConnectError) = await connect(loops, tokens: tokens)
        result.connectSeconds = seconds(since: phase, clock)
        print("  \(plan.sockets - result.connectFailures) sockets open in \(format(result.connectSeconds)) s")

        // Subscription: every room shows all of its users online.
        phase = clock.nanoseconds()
        let roomIDs = try await rest.publicRoomIDs(token: tokens[0])
        var idByRoom: [Int: Int] = [:]
        for room in 0..<plan.rooms {
            guard let id = roomIDs[plan.roomName(room)] else { throw LoadError("room \(plan.roomName(room)) does not exist") }
            idByRoom[room] = id
        }
        result.allSubscribed = try await waitUntilSubscribed(rest, idByRoom: idByRoom, token: tokens[0])
        result.subscribeSeconds = seconds(since: phase, clock)
        print("  subscribed: \(result.allSubscribed ? "all rooms complete" : "NOT all") after \(format(result.subscribeSeconds)) s")

        // Idle memory, then the hold.
        try await Task.sleep(for: .seconds(plan.settle))
        result.serverRSSIdle = pid.flatMap(LoadProcessStats.residentKiB)
        result.serverThreads = pid.flatMap(LoadProcessStats.threads)
        result.clientRSSIdle = LoadProcessStats.residentKiB(pid: "self")
        if plan.hold > 0 {
            print("  holding \(plan.sockets) idle sockets for \(format(plan.hold)) s")
            try await Task.sleep(for: .seconds(plan.hold))
        }
        result.openAfterHold = try await sum(loops) { $0.openSockets }
        result.serverRSSAfterHold = pid.flatMap(LoadProcessStats.residentKiB)

        // Sending.
        if plan.sends {
            var baselines: [Int: Int] = [:]
            for (room, id) in idByRoom { baselines[room] = try await rest.lastSeq(room: id, token: tokens[0]) }
            let totalSenders = (0..<plan.sockets).count(where: plan.isSender)
            result.serverCPUBefore = pid.flatMap(LoadProcessStats.cpuSeconds)
            result.clientCPUBefore = LoadProcessStats.cpuSeconds(pid: "self")
            result.machineCPUBefore = LoadProcessStats.machineBusySeconds()
            let startAt = clock.nanoseconds()
            let stopAt = plan.duration > 0 ? startAt + UInt64(plan.duration * 1e9) : UInt64.max
            result.sendStartedAt = startAt
            print("  sending \(plan.rate > 0 ? "at \(format(plan.rate)) msgs/s" : "as fast as acknowledgements allow, \(plan.window) in flight per sender") from \(totalSenders) senders")
            let ids = idByRoom, seqs = baselines
            for loop in loops { try await loop.eventLoop.submit { loop.value.prepare(roomIDs: ids, baselines: seqs) }.get() }
            for (index, loop) in loops.enumerated() {
                let loopSenders = (0..<plan.sockets).count { plan.isSender($0) && plan.loop(ofSocket: $0) == index }
                let rate = totalSenders > 0 ? plan.rate * Double(loopSenders) / Double(totalSenders) : 0
                try await loop.eventLoop.submit { loop.value.start(rate: rate, window: plan.window, stopAt: stopAt) }.get()
            }
            while clock.nanoseconds() < stopAt, !budget.isSpent {
                try await Task.sleep(for: .milliseconds(10))
                if try await sum(loops, { $0.hasStopped ? 1 : 0 }) == loops.count { break }
            }
            for loop in loops { try await loop.eventLoop.submit { loop.value.stop() }.get() }
            result.sendStoppedAt = clock.nanoseconds()
            let drainUntil = clock.nanoseconds() + UInt64(plan.drain * 1e9)
            var outstanding = try await self.outstanding(loops)
            while outstanding > 0, clock.nanoseconds() < drainUntil {
                try await Task.sleep(for: .milliseconds(20))
                outstanding = try await self.outstanding(loops)
            }
            result.drainedAt = clock.nanoseconds()
            result.outstandingAfterDrain = outstanding
            result.serverCPUAfter = pid.flatMap(LoadProcessStats.cpuSeconds)
            result.clientCPUAfter = LoadProcessStats.cpuSeconds(pid: "self")
            result.machineCPUAfter = LoadProcessStats.machineBusySeconds()
            result.serverRSSAfterLoad = pid.flatMap(LoadProcessStats.residentKiB)
            result.clientRSSAfterLoad = LoadProcessStats.residentKiB(pid: "self")
        }

        result.figures = try await figures(loops)
        for loop in loops { try await loop.eventLoop.submit { loop.value.closeAll() }.get() }
        try await Task.sleep(for: .milliseconds(200))
        try await group.shutdownGracefully()
        return result
    }

    // MARK: Phases

    /// Registers and logs in every user, a few at a time; their tokens in user order.
    private func logIn(_ rest: LoadREST) async throws -> [String] {
        var tokens = [String](repeating: "", count: plan.users)
        try await withThrowingTaskGroup(of: (Int, String).self) { group in
            var next = 0
            func add() {
                let user = next, name = plan.username(next), password = plan.password
                group.addTask { (user, try await rest.registerAndLogIn(username: name, password: password)) }
                next += 1
            }
            while next < min(32, plan.users) { add() }
            while let (user, token) = try await group.next() {
                tokens[user] = token
                if next < plan.users { add() }
            }
        }
        return tokens
    }

    /// Opens every socket, `connectConcurrency` at a time; failures counted, the first kept.
    private func connect(_ loops: [NIOLoopBound<LoadLoop>], tokens: [String]) async -> (Int, String?) {
        var failures = 0
        var firstError: String?
        await withTaskGroup(of: String?.self) { group in
            var next = 0
            func add() {
                let index = next
                let room = plan.room(ofSocket: index)
                let bound = loops[plan.loop(ofSocket: index)]
                let sender = plan.isSender(index) ? index : nil
                let path = "/ws/chat/\(plan.roomName(room))/", token = tokens[index % plan.users]
                let target = plan.target(ofSocket: index)
                let node = (index: plan.node(ofSocket: index), count: plan.nodeCount)
                group.addTask {
                    let opened = bound.eventLoop.makePromise(of: Void.self)
                    do {
                        _ = try await ClientBootstrap(group: bound.eventLoop)
                            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                            .connectTimeout(.seconds(30))
                            .channelInitializer { channel in
                                channel.eventLoop.makeCompletedFuture {
                                    let loop = bound.value
                                    let handler = LoadSocketHandler(
                                        loop: loop, room: loop.room(room), sender: sender, seed: UInt64(index) &+ 1, node: node,
                                        opened: opened
                                    )
                                    loop.add(handler)
                                    try LoadSocketHandler.configure(
                                        channel, handler: handler, path: path, host: target.host, port: target.port, token: token
                                    )
                                }
                            }
                            .connect(host: target.host, port: target.port).get()
                        try await opened.futureResult.get()
                        return nil
                    } catch {
                        opened.fail(error)
                        return "socket \(index): \(error)"
                    }
                }
                next += 1
            }
            while next < min(plan.connectConcurrency, plan.sockets) { add() }
            while let outcome = await group.next() {
                if let outcome {
                    failures += 1
                    if firstError == nil { firstError = outcome }
                }
                if next < plan.sockets { add() }
            }
        }
        return (failures, firstError)
    }

    /// Polls `GET /api/rooms/{id}/online` until every room shows all of its users (60 s at most).
    private func waitUntilSubscribed(_ rest: LoadREST, idByRoom: [Int: Int], token: String) async throws -> Bool {
        var waiting = Set(idByRoom.keys)
        let deadline = ContinuousClock.now + .seconds(60)
        while !waiting.isEmpty, ContinuousClock.now < deadline {
            for room in waiting.sorted() where try await rest.onlineCount(room: idByRoom[room]!, token: token) >= plan.distinctUsers(inRoom: room) {
                waiting.remove(room)
            }
            if !waiting.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
        }
        return waiting.isEmpty
    }

    /// Deliveries and acknowledgements the loops still wait for: each loop's sockets measured
    /// against the highest seq their room reached on any loop. The loops keep reading meanwhile,
    /// so "nothing missing" counts only when no room went further while the loops were asked.
    private func outstanding(_ loops: [NIOLoopBound<LoadLoop>]) async throws -> Int {
        while true {
            let reached = try await highestSeqs(loops)
            let missing = try await sum(loops) { $0.outstanding(reaching: reached) }
            if missing > 0 { return missing }
            if try await highestSeqs(loops) == reached { return 0 }
        }
    }

    /// The highest seq each room reached on any loop, by run index.
    private func highestSeqs(_ loops: [NIOLoopBound<LoadLoop>]) async throws -> [Int: Int] {
        var highest: [Int: Int] = [:]
        for loop in loops {
            highest.merge(try await loop.eventLoop.submit { loop.value.highestSeqs }.get(), uniquingKeysWith: max)
        }
        return highest
    }

    /// The run's checks and measurements: every room's tallies merged over the loops its sockets
    /// are on, then every loop's sockets checked against their room's highest seq.
    private func figures(_ loops: [NIOLoopBound<LoadLoop>]) async throws -> LoadLoopSnapshot {
        var tallies: [Int: LoadRoomTally] = [:]
        for loop in loops {
            for (room, tally) in try await loop.eventLoop.submit({ loop.value.tallies }).get() {
                if var merged = tallies[room] {
                    merged.merge(tally)
                    tallies[room] = merged
                } else {
                    tallies[room] = tally
                }
            }
        }
        let highest = tallies.mapValues(\.highestSeq)
        var figures = LoadLoopSnapshot(stats: LoadLoopStats.Snapshot())
        for loop in loops { figures.merge(try await loop.eventLoop.submit { loop.value.snapshot(reaching: highest) }.get()) }
        for tally in tallies.values {
            figures.idMismatches += tally.idMismatches
            if !tally.isFullyAcknowledged { figures.roomsWithUnacknowledgedSeqs += 1 }
        }
        return figures
    }

    /// Sums `value` over every loop, each read on its own loop.
    private func sum(_ loops: [NIOLoopBound<LoadLoop>], _ value: @escaping @Sendable (LoadLoop) -> Int) async throws -> Int {
        var total = 0
        for loop in loops { total += try await loop.eventLoop.submit { value(loop.value) }.get() }
        return total
    }

    private func seconds(since start: UInt64, _ clock: LoadClock) -> Double {
        Double(clock.nanoseconds() - start) / 1e9
    }
}

/// Formats seconds or rates with up to two decimals.
func format(_ value: Double) -> String {
    String(format: "%.2f", value)
}
