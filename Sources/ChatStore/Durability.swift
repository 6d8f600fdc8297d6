/// How hard SQLite works to keep a commit through a crash (`PRAGMA synchronous`).
public enum Durability: String, Hashable, Sendable, CaseIterable {
    /// WAL with `synchronous=NORMAL`: a commit survives the process being killed (`kill -9`);
    /// the last commits before a power loss or kernel crash may be lost (never corrupted).
    case normal
    /// WAL with `synchronous=FULL`: every commit is fsynced, so it also survives a power loss;
    /// each commit costs a disk flush.
    case full
}
