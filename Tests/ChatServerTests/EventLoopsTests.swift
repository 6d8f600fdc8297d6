import ChatServer
import Foundation
import Testing

@Suite struct EventLoopsTests {
    /// One loop per core but one (the store's committer gets a core), never none.
    @Test func theDefaultLeavesACoreToTheCommitter() {
        #expect(EventLoops.default(cores: 1) == 1)
        #expect(EventLoops.default(cores: 2) == 1)
        #expect(EventLoops.default(cores: 40) == 39)
    }

    /// The executable refuses a count it cannot run, naming the flag.
    @Test(arguments: ["0", "1025", "-2", "many"])
    func aCountOutOfRangeIsRefused(count: String) throws {
        let (status, errors) = try ServerProcess.runToExit(arguments: ["--db", ":memory:", "--event-loops=\(count)"])
        #expect(status != 0)
        #expect(errors.contains("--event-loops"))
        if Int(count) != nil { #expect(errors.contains("--event-loops must be between 1 and 1024")) }
    }

    /// A server with more loops than the default starts and answers.
    @Test func aServerWithThreeLoopsServes() async throws {
        let server = try await ServerProcess.start(arguments: ["--db", ":memory:", "--event-loops", "3"])
        defer { server.kill() }
        #expect(try await server.request("GET", "/healthz").status == 200)
    }
}
