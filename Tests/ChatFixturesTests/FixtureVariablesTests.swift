import ChatFixtures
import Foundation
import Testing

@Suite struct FixtureVariablesTests {
    private func json(_ text: String) throws -> FixtureValue {
        try #require(FixtureValue.parse(Array(text.utf8)))
    }

    @Test func onlyAWholeStringOfANameIsAVariable() {
        #expect(FixtureVariables.name(in: "${epoch}") == "epoch")
        #expect(FixtureVariables.name(in: "${_m2}") == "_m2")
        for literal in ["${}", "${2x}", "${a b}", "x${a}", "${a}x", "$a", "{a}", "${é}"] {
            #expect(FixtureVariables.name(in: literal) == nil, "\(literal)")
        }
    }

    @Test func anExpectationBindsWhatItReceivesAndThenRequiresIt() throws {
        var variables = FixtureVariables()
        #expect(variables.matches(try json(#"{"type":"hello","session":"${s}"}"#), try json(#"{"type":"hello","session":"7","user":{}}"#)))
        #expect(variables.matches(try json(#"["${s}"]"#), try json(#"["7"]"#)))
        #expect(!variables.matches(try json(#"["${s}"]"#), try json(#"["8"]"#)))
        #expect(!variables.matches(try json(#"["${s}"]"#), try json(#"[7]"#)))
        // The same variable twice in one expectation: bound by the first, compared by the second.
        #expect(variables.matches(try json(#"[{"id":"${m}"},{"id":"${m}"}]"#), try json(#"[{"id":4},{"id":4}]"#)))
        #expect(!variables.matches(try json(#"[{"id":"${n}"},{"id":"${n}"}]"#), try json(#"[{"id":4},{"id":5}]"#)))
    }

    @Test func aMismatchBindsNothing() throws {
        var variables = FixtureVariables()
        #expect(!variables.matches(try json(#"{"id":"${m}","text":"hi"}"#), try json(#"{"id":3,"text":"bye"}"#)))
        #expect { try variables.substitute(.string("${m}")) } throws: { ($0 as? FixtureVariables.UnboundVariable)?.name == "m" }
        #expect(variables.matches(try json(#"{"id":"${m}","text":"hi"}"#), try json(#"{"id":4,"text":"hi"}"#)))
        #expect(try variables.substitute(.string("${m}")) == .number(4))
    }

    @Test func aSentFrameGetsTheBoundValuesWithTheirTypes() throws {
        var variables = FixtureVariables()
        #expect(variables.matches(try json(#"{"room":"${r}","epoch":"${e}","last_seq":"${s}"}"#), try json(#"{"room":2,"epoch":"ab12","last_seq":9}"#)))
        let frame = try json(#"{"type":"subscribe","room":"${r}","epoch":"${e}","after_seq":"${s}","note":"x${r}"}"#)
        let resolved = try variables.resolve(.send(socket: "a", payload: .json(frame)))
        #expect(resolved == .send(socket: "a", payload: .json(try json(#"{"type":"subscribe","room":2,"epoch":"ab12","after_seq":9,"note":"x${r}"}"#))))
        #expect(try variables.resolve(.markRead(as: "a", room: .named("lobby"), seq: .string("${s}"))) == .markRead(as: "a", room: .named("lobby"), seq: .number(9)))
        #expect { try variables.resolve(.delete(as: "a", message: .string("${q}"))) } throws: { ($0 as? FixtureVariables.UnboundVariable)?.name == "q" }
    }

    @Test func aVariableUsedBeforeAnExpectationBindsItIsAFormatError() {
        let cases: [(String, String)] = [
            (#"[{"send":{"socket":"a","frame":{"type":"subscribe","room":"${lobby}"}}}]"#, "step 1: ${lobby} is used before an expectation binds it"),
            (#"[{"expect_frames":{"a":[{"id":"${m}"}]}},{"edit":{"as":"a","message":"${n}","text":"x"}}]"#, "step 2: ${n} is used before an expectation binds it"),
            // An expectation of an error compares no values: it binds nothing.
            (#"[{"expect_rooms":{"as":"a","rooms":[{"id":"${r}"}]},"expect_error":"no"},{"mark_read":{"as":"a","room":"r","seq":"${r}"}}]"#, "step 2: ${r} is used before an expectation binds it"),
            (#"[{"edit":{"as":"a","message":"abc","text":"x"}}]"#, #"step 1: "message" must be an integer or "${name}""#),
        ]
        for (steps, message) in cases {
            #expect {
                try Fixture(json: Data(#"{"format":"chat-fixture","version":1,"steps":\#(steps)}"#.utf8))
            } throws: { error in
                (error as? FixtureFormatError)?.message == message
            }
        }
        #expect(throws: Never.self) {
            try Fixture(json: Data(#"{"format":"chat-fixture","version":1,"steps":[{"expect_frames":{"a":[{"id":"${m}"}]}},{"delete":{"as":"a","message":"${m}"}}]}"#.utf8))
        }
    }

    /// A step whose variable's expectation did not match fails with that reason; the replay goes on.
    @Test func aVariableWhoseExpectationFailedFailsTheStepThatUsesIt() async throws {
        let fixture = try Fixture(json: Data(#"""
        {"format":"chat-fixture","version":1,"steps":[
          {"register":"alice"},
          {"create_room":{"as":"alice","name":"lobby"}},
          {"connect":{"as":"alice","socket":"a","path":"/ws/v1"}},
          {"expect_frames":{"a":[{"type":"hello","user":{"username":"bob","id":"${me}"}}]}},
          {"send":{"socket":"a","frame":{"type":"subscribe","room":"${me}"}}},
          {"expect_rooms":{"as":"alice","rooms":[{"name":"lobby","id":"${lobby}","unread":0}]}},
          {"send":{"socket":"a","frame":{"id":1,"type":"subscribe","room":"${lobby}"}}},
          {"expect_frames":{"a":[{"type":"subscribed","id":1,"room":"${lobby}","recovered":false,"messages":[]}]}}
        ]}
        """#.utf8))
        var driver = try await ServiceDriver(fixture: fixture)
        var failures: [Int: String] = [:]
        let passed = try await FixtureRunner(fixture: fixture).run(on: &driver) { report in failures[report.index] = report.failure }
        #expect(!passed)
        #expect(failures.keys.sorted() == [4, 5])
        #expect(failures[4]?.hasPrefix(#"socket a: expected [{"type":"hello","user":{"id":"${me}","username":"bob"}}], received [{"session":"#) == true)
        #expect(failures[5] == "${me} is not bound: the expectation that binds it did not match")
    }

    /// A variable bound to a value of the wrong type for the field that uses it is the fixture's
    /// mistake: the replay stops with a format error naming the field.
    @Test func aVariableOfTheWrongTypeIsAFormatError() async throws {
        let fixture = try Fixture(json: Data(#"""
        {"format":"chat-fixture","version":1,"steps":[
          {"register":"alice"},
          {"connect":{"as":"alice","socket":"a","path":"/ws/v1"}},
          {"expect_frames":{"a":[{"type":"hello","session":"${session}"}]}},
          {"delete":{"as":"alice","message":"${session}"}}
        ]}
        """#.utf8))
        var driver = try await ServiceDriver(fixture: fixture)
        await #expect {
            try await FixtureRunner(fixture: fixture).run(on: &driver)
        } throws: { error in
            (error as? FixtureFormatError)?.message == #""message" must be an integer, not "1""#
        }
    }
}
