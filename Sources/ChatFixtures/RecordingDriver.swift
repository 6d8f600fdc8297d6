/// Wraps a driver and keeps, for each `expect_frames` step, the frames every socket received:
/// to compare two drivers' runs of the same fixture frame by frame.
public struct RecordingDriver<Driver: FixtureDriver>: FixtureDriver {
    /// The wrapped driver.
    public var driver: Driver
    /// What each `takeFrames` returned, in order.
    public private(set) var frames: [[String: [FixtureValue]]] = []

    public init(_ driver: Driver) {
        self.driver = driver
    }

    public mutating func perform(_ action: FixtureAction) async throws -> ActionOutcome {
        try await driver.perform(action)
    }

    public mutating func takeFrames(expected: [String: Int], ignoring: Set<String>) async throws -> [String: [FixtureValue]] {
        let taken = try await driver.takeFrames(expected: expected, ignoring: ignoring)
        frames.append(taken)
        return taken
    }

    public mutating func history(as user: String, room: RoomReference, after: Int?) async throws -> Result<[FixtureValue], FixtureRefusal> {
        try await driver.history(as: user, room: room, after: after)
    }

    public mutating func online(as user: String, room: RoomReference) async throws -> Result<[String], FixtureRefusal> {
        try await driver.online(as: user, room: room)
    }

    public mutating func rooms(as user: String) async throws -> Result<[FixtureValue], FixtureRefusal> {
        try await driver.rooms(as: user)
    }
}
