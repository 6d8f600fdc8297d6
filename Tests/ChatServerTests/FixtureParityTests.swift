import ChatFixtures
@testable import chat_sim
import Foundation
import Testing

/// The in-process replay runs the server's own code: every fixture gives the same frames, in the
/// same order, through the service in-process and through a live server's sockets.
@Suite struct FixtureParityTests {
    static let directory = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appending(path: "fixtures")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".json") && $0 != "fixture.schema.json" }.sorted()
    }

    @Test(arguments: FixtureParityTests.files)
    func everyFixtureGivesTheSameFramesInProcessAndLive(_ file: String) async throws {
        let fixture = try Fixture(json: Data(contentsOf: Self.directory.appending(path: file)))
        var inProcess = RecordingDriver(try await ServiceDriver(fixture: fixture))
        let passedInProcess = try await FixtureRunner(fixture: fixture).run(on: &inProcess)
        #expect(passedInProcess, "\(file) in-process")
        let expected = inProcess.frames.map(Self.comparable)
        #expect(expected.contains { !$0.isEmpty }, "\(file) has frames to compare")
        try await TestServer.run({ $0.engine.typingTimeout = fixture.typingTimeout }) { api in
            var live = RecordingDriver(ServerDriver(base: "http://127.0.0.1:\(api.port)"))
            let passedLive = try await FixtureRunner(fixture: fixture).run(on: &live)
            #expect(passedLive, "\(file) live")
            #expect(live.frames.map(Self.comparable) == expected, "\(file): in-process and live frames differ")
        }
    }

    /// Frames without their timestamps (the in-process clock is a manual one; everything else,
    /// ids and seqs included, must match).
    static func comparable(_ frames: [String: [FixtureValue]]) -> [String: [FixtureValue]] {
        frames.mapValues { $0.map(withoutTimestamp) }
    }

    private static func withoutTimestamp(_ value: FixtureValue) -> FixtureValue {
        guard case .object(var fields) = value else { return value }
        fields["timestamp"] = nil
        return .object(fields)
    }
}
