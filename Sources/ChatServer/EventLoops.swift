import NIOCore

/// How many event loops (the threads that serve sockets and HTTP) `chat-server` runs.
public enum EventLoops {
    /// One per core but one: the store's committer commits every write on a thread of its own,
    /// and gets a core to itself. On 2 cores that is one loop, which measured faster than two
    /// (`docs/performance.md`, fourth round): the engine's lock is never contended and the
    /// machine has one busy thread fewer to share out.
    public static func `default`(cores: Int = System.coreCount) -> Int { max(1, cores - 1) }
}
