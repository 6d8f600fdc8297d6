/// A room's latest messages, consecutive by seq, in a fixed-capacity ring.
struct RecentMessages: Sendable {
    private var storage: [Message] = []
    private var head = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// How many messages are held.
    var count: Int { storage.count }

    /// The seq of the oldest message held, if any.
    var firstSeq: Int64? { storage.isEmpty ? nil : self[0].seq }

    /// The message at position `index`, oldest first.
    subscript(index: Int) -> Message { storage[(head + index) % storage.count] }

    /// Appends the newest message and returns the oldest one when it had to make room.
    mutating func append(_ message: Message) -> Message? {
        guard storage.count == capacity else {
            storage.append(message)
            return nil
        }
        let evicted = storage[head]
        storage[head] = message
        head = (head + 1) % capacity
        return evicted
    }

    /// The message with `seq`, if it is still held.
    func message(seq: Int64) -> Message? {
        guard let first = firstSeq, seq >= first, seq - first < Int64(count) else { return nil }
        return self[Int(seq - first)]
    }

    /// Puts `message` in place of the held message with its seq (an edit or a delete); returns
    /// whether it was held.
    @discardableResult
    mutating func replace(_ message: Message) -> Bool {
        guard let first = firstSeq, message.seq >= first, message.seq - first < Int64(count) else { return false }
        let index = (head + Int(message.seq - first)) % storage.count
        guard storage[index].id == message.id else { return false }
        storage[index] = message
        return true
    }

    /// Messages with seq in `range`, oldest first (only those still held).
    func messages(in range: ClosedRange<Int64>) -> [Message] {
        guard let first = firstSeq else { return [] }
        let last = first + Int64(count) - 1
        let low = max(range.lowerBound, first)
        let high = min(range.upperBound, last)
        guard low <= high else { return [] }
        return (Int(low - first)...Int(high - first)).map { self[$0] }
    }
}
