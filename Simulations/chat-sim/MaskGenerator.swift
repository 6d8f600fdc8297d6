/// A cheap xorshift64 source for frame mask keys (`WebSocketMaskingKey.random(using:)`), so
/// sending does not cost a system random call per frame; masks only need to vary here.
struct MaskGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}
