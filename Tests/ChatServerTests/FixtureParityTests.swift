import ChatFixtures
@testable import chat_sim
import Foundation
import Testing

/// The in-process replay runs the server's own code: every fixture gives the same frames, in the
/// same order, through the service in-process and through a live server's sockets, but for the
/// values each run chooses for itself (``ComparableFrames``).
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
        let expected = ComparableFrames.of(inProcess.frames)
        #expect(expected.contains { !$0.isEmpty }, "\(file) has frames to compare")
        try await TestServer.run({ $0.engine.typingTimeout = fixture.typingTimeout }) { api in
            var live = RecordingDriver(ServerDriver(bases: ["http://127.0.0.1:\(api.port)"]))
            let passedLive = try await FixtureRunner(fixture: fixture).run(on: &live)
            #expect(passedLive, "\(file) live")
            #expect(ComparableFrames.of(live.frames) == expected, "\(file): in-process and live frames differ")
        }
    }

    /// Two runs compare equal when they differ only in timestamps, epochs and sessions, and only
    /// when the frames that shared an epoch or a session still share one.
    @Test func onlyTheValuesARunChoosesAreNormalised() {
        func run(epochs: (String, String), session: String, seq: Int, sentAt: String) -> [[String: [FixtureValue]]] {
            let message: FixtureValue = .object(["id": .number(7), "seq": .number(Double(seq)), "sent_at": .string(sentAt)])
            return [[
                "a": [.object(["type": .string("hello"), "session": .string(session)])],
                "b": [
                    .object(["type": .string("subscribed"), "epoch": .string(epochs.0), "messages": .array([message])]),
                    .object(["type": .string("subscribed"), "epoch": .string(epochs.1), "messages": .array([])]),
                ],
            ]]
        }
        let first = ComparableFrames.of(run(epochs: ("e1", "e1"), session: "1", seq: 3, sentAt: "2027-01-15T08:00:00.000Z"))
        #expect(ComparableFrames.of(run(epochs: ("f9", "f9"), session: "12", seq: 3, sentAt: "2026-03-01T10:11:12.345Z")) == first)
        #expect(ComparableFrames.of(run(epochs: ("e1", "e1"), session: "1", seq: 4, sentAt: "2027-01-15T08:00:00.000Z")) != first)
        #expect(ComparableFrames.of(run(epochs: ("e1", "e2"), session: "1", seq: 3, sentAt: "2027-01-15T08:00:00.000Z")) != first)
    }
}
