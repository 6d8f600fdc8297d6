/// Delta debugging: the shortest list of steps it can find that still fails.
///
/// Tries removing chunks (halves, quarters … single steps) and keeps any removal after which
/// `fails` still holds, until no single step can go. `fails` replays a candidate from scratch,
/// so steps that refer to ids created by removed steps simply become rejected commands.
enum Shrinker {
    /// A 1-minimal sub-list of `steps` for which `fails` holds (`fails(steps)` must hold).
    static func shrink<Step>(_ steps: [Step], fails: ([Step]) -> Bool) -> [Step] {
        var current = steps
        var chunks = 2
        while current.count > 1 {
            let size = (current.count + chunks - 1) / chunks
            var removedAny = false
            var start = 0
            while start < current.count {
                var candidate = current
                candidate.removeSubrange(start..<min(start + size, current.count))
                if !candidate.isEmpty, fails(candidate) {
                    current = candidate
                    removedAny = true
                } else {
                    start += size
                }
            }
            if removedAny {
                chunks = max(chunks - 1, 2)
            } else if size == 1 {
                break
            } else {
                chunks = min(chunks * 2, current.count)
            }
        }
        return current
    }
}
