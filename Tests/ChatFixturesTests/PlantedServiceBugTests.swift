#if DEBUG
import ChatFixtures
import ChatService
import ChatSimulation
import Testing

/// Bugs planted in the service, not the engine: exploration through the service (the live
/// workload as fixtures, in-process) must catch each within its step budget and shrink it to
/// at most 12 steps whose fixture fails with the bug and passes without it.
@Suite struct PlantedServiceBugTests {
    static let exploration = ServiceExploration(seed: 1, users: 8, steps: 1_200)

    @Test(arguments: ServicePlantedBug.allCases)
    func aBugPlantedInTheServiceIsCaughtAndShrunk(_ bug: ServicePlantedBug) async throws {
        let finding = try #require(try await Self.exploration.run { $0.plantedBug = bug }, "\(bug) went unnoticed in \(Self.exploration.steps) steps")
        #expect(finding.caughtAt <= Self.exploration.steps)
        #expect(finding.shrunk.count <= 12, "\(bug): \(finding.shrunk.count) steps: \(finding.shrunk)")
        let fixture = try finding.fixture.fixture()
        var buggy = try await ServiceDriver(fixture: fixture) { $0.plantedBug = bug }
        #expect(try await FixtureRunner(fixture: fixture).run(on: &buggy) == false, "\(bug): the shrunk fixture passes with the bug")
        var real = try await ServiceDriver(fixture: fixture)
        #expect(try await FixtureRunner(fixture: fixture).run(on: &real), "\(bug): the shrunk fixture fails on the real service")
    }

    @Test func theRealServiceGivesNoFinding() async throws {
        #expect(try await Self.exploration.run { _ in } == nil)
    }
}
#endif
