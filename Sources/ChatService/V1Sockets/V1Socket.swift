import ChatEngine
import ChatProtocol
import ChatStore

/// One open v1 socket's protocol (`/ws/v1`, `docs/protocol.md`): one socket for every room the
/// user may read, request ids, acknowledgements, resume with an epoch, read markers, edits and
/// deletions. Its frames and every answer go to the outbox in order: an answer to a request
/// is queued after everything the request caused.
public struct V1Socket: ChatSocket {
    /// The most missed messages a subscribe replays; past it the client gets the latest page.
    public static let maxReplayedMessages = 1_000
    /// The page a subscribe gives when it does not replay (and `history`'s default).
    public static let latestPageSize = 50
    /// The largest `history` page.
    public static let maxHistoryPage = 100
    /// The error for a `history` limit outside 1 … ``maxHistoryPage``.
    public static let historyLimitMessage = "limit must be between 1 and \(maxHistoryPage)"

    public let session: SessionID
    private let service: ChatService
    private let account: User

    /// The authenticated user.
    public var user: UserID { account.id }

    init(service: ChatService, session: SessionID, user: User) {
        self.service = service
        self.session = session
        account = user
    }

    public func receive(text bytes: some Collection<UInt8>) -> ChatSocketStep? {
        let frame: V1ClientFrame
        do throws(V1FrameError) {
            frame = try V1ClientFrame.parse(bytes)
        } catch {
            reject(error.id, ServiceError(error.error))
            return nil
        }
        let id = frame.id
        switch frame.request {
        case .subscribe(let room, let afterSeq, let epoch):
            return { await subscribe(id, room: room, after: afterSeq, epoch: epoch) }
        case .unsubscribe(let room):
            submit(id, .unsubscribe(session, from: room))
        case .send(let room, let text, let clientMessageID):
            return send(id, room: room, text: text, clientMessageID: clientMessageID)
        case .typing(let room, let isTyping):
            submit(id, .typing(by: user, room: room, isTyping: isTyping), answersSuccess: false)
        case .read(let room, let seq):
            submit(id, .markRead(by: user, room: room, seq: seq, via: session))
        case .edit(let message, let text):
            return { await answer(id) { () async throws(ServiceError) in _ = try await service.editMessage(message, text: text, by: user) } }
        case .delete(let message):
            return { await answer(id) { () async throws(ServiceError) in _ = try await service.deleteMessage(message, by: user) } }
        case .history(let room, let beforeSeq, let limit):
            return { await history(id, room: room, before: beforeSeq, limit: limit) }
        }
        return nil
    }

    public func receiveBinary() {
        reject(nil, ServiceError(WireError.binaryFrame))
    }

    public func close() async {
        _ = try? await service.execute(.closeSession(session))
        service.core.v1Sessions.remove(session)
        service.socketClosed(session)
    }

    // MARK: - Requests

    /// Subscribes, replaying what the client missed after `after` of `epoch` when that can be
    /// done completely: the messages the engine's window no longer holds are read from the store
    /// first; then, under the engine's lock, the subscription is made only if the window still
    /// holds the rest (else the store is read again), so the replay and the live messages that
    /// follow meet with no gap and no duplicate. Anything less is `recovered: false` with the
    /// latest page.
    private func subscribe(_ id: Int64?, room: RoomID, after: Int64?, epoch: String?) async {
        if let refusal = await service.confirmedRefusal({ $0.readRejection(of: room, by: user) }) { return reject(id, ServiceError(refusal)) }
        let resume = epoch == service.epoch ? after : nil
        // Missed messages from the store, consecutive from `resume + 1`.
        var older: [Message] = []
        for attempt in 1...Self.subscribeAttempts {
            if let resume {
                let from = older.last?.seq ?? resume
                let needed = service.read { engine -> ClosedRange<Int64>? in
                    guard Self.isResumable(resume, last: engine.lastSeq(of: room)) else { return nil }
                    return (try? engine.messages(in: room, for: user, after: from, limit: Self.maxReplayedMessages))?.missing
                }
                if let needed {
                    do throws(ServiceError) {
                        older += try await service.storeRead { () async throws(StoreError) in
                            try await service.store.messages(in: room, after: needed.lowerBound - 1, limit: needed.count, includingDeleted: true)
                        }
                    } catch {
                        return reject(id, error)
                    }
                }
            }
            if await submitSubscribe(id, room: room, resume: resume, older: older, mayDecline: attempt < Self.subscribeAttempts) { return }
        }
    }

    /// How often a subscribe reads the store again when the engine's window moved on meanwhile.
    private static let subscribeAttempts = 4

    /// Whether a client that saw up to `seq` of a room whose last seq is `last` can be given
    /// everything it missed.
    private static func isResumable(_ seq: Int64, last: Int64) -> Bool {
        seq >= 0 && seq <= last && last - seq <= Int64(maxReplayedMessages)
    }

    /// Submits the subscription with its answer prepared under the engine's lock; false when it
    /// was declined (`mayDecline`: the replay would have a gap) and nothing was done.
    private func submitSubscribe(_ id: Int64?, room: RoomID, resume: Int64?, older: [Message], mayDecline: Bool) async -> Bool {
        let (reader, epoch, session, service) = (user, service.epoch, session, service)
        return await withCheckedContinuation { continuation in
            service.core.submit(.subscribe(session, to: .id(room)), prepare: { engine in
                Self.subscribed(id, room: room, user: reader, epoch: epoch, resume: resume, older: older, mayDecline: mayDecline, in: engine)
            }) { result in
                switch result {
                case .success(nil):
                    return continuation.resume(returning: false)
                case .success((.success, let frame)?): service.core.outbox.send(.text(frame.encoded()), to: session)
                case .success((.failure(let rejection), _)?): answerNow(id, ServiceError(rejection))
                case .failure(let error): answerNow(id, ServiceError(error))
                }
                continuation.resume(returning: true)
            }
        }
    }

    /// The `subscribed` answer as the engine stands; nil when `mayDecline` and the replay would
    /// miss messages that left the engine's window after the store was read.
    static func subscribed(
        _ id: Int64?, room: RoomID, user: UserID, epoch: String, resume: Int64?, older: [Message], mayDecline: Bool,
        in engine: borrowing ChatEngine
    ) -> V1ServerFrame? {
        let last = engine.lastSeq(of: room)
        var recovered: [Message]?
        if let resume, isResumable(resume, last: last),
           let page = try? engine.messages(in: room, for: user, after: resume, limit: maxReplayedMessages) {
            if let missing = page.missing {
                let fromStore = older.filter { missing.contains($0.seq) }
                guard fromStore.map(\.seq) == Array(missing) else { return mayDecline ? nil : unrecovered() }
                recovered = fromStore + page.messages
            } else {
                recovered = page.messages
            }
        }
        guard let recovered else { return unrecovered() }
        return frame(recovered, recovered: true)

        func unrecovered() -> V1ServerFrame {
            frame((try? engine.messages(in: room, for: user, before: nil, limit: latestPageSize))?.messages ?? [], recovered: false)
        }
        func frame(_ messages: [Message], recovered: Bool) -> V1ServerFrame {
            .subscribed(
                id: id, room: room, epoch: epoch, lastSeq: last, readSeq: engine.readSeq(of: user, in: room), recovered: recovered,
                messages: messages.map { V1PushFrames.message($0, in: engine) }
            )
        }
    }

    /// A send: the rate limit and, for a retry, the store's copy first (as for REST and seed
    /// sockets); then the engine. The answer is `ack` with the stored message.
    private func send(_ id: Int64?, room: RoomID, text: String, clientMessageID: String?) -> ChatSocketStep? {
        if let refusal = service.sendRefusal(by: user, room: room, text: text, clientMessageID: clientMessageID, via: session) {
            reject(id, refusal)
            return nil
        }
        guard let clientMessageID else {
            submitSend(id, room: room, text: text, clientMessageID: nil)
            return nil
        }
        return { () async in
            do throws(ServiceError) {
                if let stored = try await service.storedRetry(by: user, room: room, text: text, clientMessageID: clientMessageID, via: session) {
                    service.core.afterSubmitted { acknowledge(id, stored, duplicate: true) }
                } else {
                    submitSend(id, room: room, text: text, clientMessageID: clientMessageID)
                }
            } catch {
                reject(id, error)
            }
        }
    }

    private func submitSend(_ id: Int64?, room: RoomID, text: String, clientMessageID: String?) {
        service.submitSend(by: user, room: room, text: text, clientMessageID: clientMessageID, via: session) { result in
            switch result {
            case .success(.sent(let message)): acknowledge(id, message, duplicate: false)
            case .success(.duplicate(let message, _)): acknowledge(id, message, duplicate: true)
            case .success(.refused(let error)), .failure(let error): answerNow(id, error)
            }
        }
    }

    private func acknowledge(_ id: Int64?, _ message: Message, duplicate: Bool) {
        #if DEBUG
        let duplicate = duplicate && !service.configuration.isPlanted(.duplicateAckUnflagged)
        #endif
        let frame = service.read { V1ServerFrame.ack(id: id, message: V1PushFrames.message(message, in: $0), duplicate: duplicate) }
        service.core.outbox.send(.text(frame.encoded()), to: session)
    }

    /// A page of history, oldest first, deleted messages included (as `deleted`, no text).
    private func history(_ id: Int64?, room: RoomID, before: Int64?, limit: Int64?) async {
        let limit = limit ?? Int64(Self.latestPageSize)
        guard (1...Int64(Self.maxHistoryPage)).contains(limit) else { return reject(id, ServiceError(status: 400, Self.historyLimitMessage)) }
        if let refusal = await service.confirmedRefusal({ $0.readRejection(of: room, by: user) }) { return reject(id, ServiceError(refusal)) }
        do throws(ServiceError) {
            let messages = try await service.storeRead { () async throws(StoreError) in
                try await service.store.messages(in: room, before: before, limit: Int(limit), includingDeleted: true)
            }
            let frame = service.read { engine in V1ServerFrame.history(id: id, room: room, messages: messages.map { V1PushFrames.message($0, in: engine) }) }
            service.core.afterSubmitted { service.core.outbox.send(.text(frame.encoded()), to: session) }
        } catch {
            reject(id, error)
        }
    }

    // MARK: - Answers

    /// Runs `command`; its answer (`ok`, when `answersSuccess`, or an error) follows what it caused.
    private func submit(_ id: Int64?, _ command: Command, answersSuccess: Bool = true) {
        service.core.submit(command) { [service, session] result in
            switch result {
            case .success(.success):
                if answersSuccess { service.core.outbox.send(.text(V1ServerFrame.ok(id: id).encoded()), to: session) }
            case .success(.failure(let rejection)): answerNow(id, ServiceError(rejection))
            case .failure(let error): answerNow(id, ServiceError(error))
            }
        }
    }

    /// Runs an operation that waits for its commit; answers `ok` or its error.
    private func answer(_ id: Int64?, _ operation: () async throws(ServiceError) -> Void) async {
        do throws(ServiceError) {
            try await operation()
            service.core.outbox.send(.text(V1ServerFrame.ok(id: id).encoded()), to: session)
        } catch {
            reject(id, error)
        }
    }

    /// Answers with an error frame once the socket's earlier requests are answered.
    private func reject(_ id: Int64?, _ error: ServiceError) {
        service.core.afterSubmitted { answerNow(id, error) }
    }

    /// Answers with an error frame now (from a completion, which already runs in order).
    private func answerNow(_ id: Int64?, _ error: ServiceError) {
        service.core.observer.frameRefused(reason: error.code)
        service.core.outbox.send(.text(V1ServerFrame.error(id: id, code: error.code, message: error.message).encoded()), to: session)
    }
}
