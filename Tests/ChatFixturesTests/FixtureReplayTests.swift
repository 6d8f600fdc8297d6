import ChatFixtures
import Foundation
import Testing

@Suite struct FixtureReplayTests {
    static let directory = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appending(path: "fixtures")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".json") && $0 != "fixture.schema.json" }.sorted()
    }

    @Test func theShippedFixturesAreAllThere() {
        #expect(Set(Self.files).isSuperset(of: [
            "seed-walkthrough.json", "dm-privacy.json", "group-membership-changes.json", "typing-expiry.json",
            "idempotent-send.json", "reconnect-resume.json", "forged-username.json", "bad-input.json",
            "v1-resume-recovered.json", "v1-resume-unrecovered.json", "v1-rooms-typing-presence.json", "v1-send-ack.json",
            "v1-read-markers.json", "v1-edit-delete.json", "v1-member-removed.json", "v1-errors.json",
            "explore-typing-stops-with-a-message.json", "explore-removed-member-unsubscribed.json",
        ]))
    }

    @Test(arguments: FixtureReplayTests.files)
    func everyFixturePassesInProcess(_ file: String) async throws {
        let fixture = try Fixture(json: Data(contentsOf: Self.directory.appending(path: file)))
        var driver = try await ServiceDriver(fixture: fixture)
        var failures: [String] = []
        let passed = try await FixtureRunner(fixture: fixture).run(on: &driver) { report in
            if let failure = report.failure { failures.append("step \(report.index) \(report.summary): \(failure)") }
        }
        #expect(passed, "\(file):\n\(failures.joined(separator: "\n"))")
    }

    /// The harness can fail: a wrong expectation is reported with what was expected and received.
    @Test func aWrongExpectationIsReportedWithBothSides() async throws {
        var fixture = try Fixture(json: Data(contentsOf: Self.directory.appending(path: "forged-username.json")))
        let index = try #require(fixture.steps.lastIndex { if case .expectFrames = $0.action { true } else { false } })
        fixture.steps[index].action = .expectFrames(["alice": [.object(["type": .string("message"), "message": .string("I am bob")])]])
        var driver = try await ServiceDriver(fixture: fixture)
        var reports: [FixtureRunner.StepReport] = []
        let passed = try await FixtureRunner(fixture: fixture).run(on: &driver) { reports.append($0) }
        #expect(!passed)
        let failure = try #require(reports.first { $0.failure != nil }?.failure)
        #expect(failure.contains(#"socket alice: expected [{"message":"I am bob","type":"message"}]"#))
        #expect(failure.contains(#""message":"I am alice""#))
        #expect(failure.contains("socket bob: expected nothing, received"))
    }

    @Test func aWrongErrorIsReported() async throws {
        let fixture = Fixture(description: "", steps: [
            FixtureStep(action: .register(user: "alice", password: "password1")),
            FixtureStep(action: .register(user: "alice", password: "password1"), expectedError: "Some other message"),
            FixtureStep(action: .register(user: "bob", password: "password1"), expectedError: "A user with that username already exists"),
        ])
        var driver = try await ServiceDriver(fixture: fixture)
        var failures: [String?] = []
        _ = try await FixtureRunner(fixture: fixture).run(on: &driver) { failures.append($0.failure) }
        #expect(failures == [
            nil,
            #"expected error "Some other message", got error "A user with that username already exists""#,
            #"expected error "A user with that username already exists", got success"#,
        ])
    }

    @Test func malformedFixturesAreRefusedNamingTheStep() {
        let cases: [(String, String)] = [
            (#"[]"#, "a fixture is a JSON object"),
            (#"{"format":"other","version":1,"steps":[]}"#, #""format" must be "chat-fixture""#),
            (#"{"format":"chat-fixture","version":2,"steps":[]}"#, #""version" must be 1"#),
            (#"{"format":"chat-fixture","version":1,"steps":[{"dance":1}]}"#, "step 1: a step has exactly one action of"),
            (#"{"format":"chat-fixture","version":1,"steps":[{"login":"a"},{"post":{"as":"a"}}]}"#, #"step 2: "room" is a name"#),
            (#"{"format":"chat-fixture","version":1,"steps":[{"login":"a","expect":1}]}"#, "step 1: unknown key expect"),
            (#"{"format":"chat-fixture","version":1,"steps":[{"post":{"as":"a","room":"r","message":"x","repeat":0}}]}"#, #"step 1: "repeat" must be a positive integer"#),
            (#"{"format":"chat-fixture","version":1,"steps":[{"connect":{"as":"a","token":"t","socket":"s","path":"/ws/v1"}}]}"#, #"step 1: connect takes either "as" (a user) or "token" (a string)"#),
            (#"{"format":"chat-fixture","version":1,"steps":[{"connect":{"socket":"s","path":"/ws/v1"}}]}"#, #"step 1: connect takes either "as" (a user) or "token" (a string)"#),
            (#"{"format":"chat-fixture","version":1,"steps":[{"delete":{"as":"a","message":"7"}}]}"#, #"step 1: "message" must be an integer or "${name}""#),
            (#"{"format":"chat-fixture","version":1,"steps":[{"expect_rooms":{"as":"a"}}]}"#, "step 1: expect_rooms needs rooms"),
            (#"{"format":"chat-fixture","version":1,"steps":[{"restart":{"kill":"yes"}}]}"#, #"step 1: restart's "kill" is true or false"#),
            (#"{"format":"chat-fixture","version":1,"steps":[{"restart":{"now":true}}]}"#, #"step 1: restart takes {}, or {"kill": true} with an optional "in_flight" post"#),
            (#"{"format":"chat-fixture","version":1,"steps":[{"restart":{"in_flight":{"as":"a","room":"r","message":"x","client_msg_id":"c"}}}]}"#, #"step 1: restart's "in_flight" needs "kill": true"#),
            (#"{"format":"chat-fixture","version":1,"steps":[{"restart":{"kill":true,"in_flight":{"as":"a","room":"r","message":"x"}}}]}"#, #"step 1: "client_msg_id""#),
            (#"{"format":"chat-fixture","version":1,"steps":[{"restart":{"kill":true,"in_flight":{"as":"a","room":"r","message":"x","client_msg_id":"c","at":1}}}]}"#, #"step 1: restart's "in_flight" takes"#),
        ]
        for (json, message) in cases {
            #expect {
                try Fixture(json: Data(json.utf8))
            } throws: { error in
                (error as? FixtureFormatError)?.message.hasPrefix(message) == true
            }
        }
    }
}
