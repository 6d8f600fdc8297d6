import ChatEngine
@testable import ChatSimulation
import ChatStore
import Testing

/// The explorer rebuilds its engine mid-run from `StoredFacts`, which must give back exactly
/// what `SQLiteChatStore` gives back to a restarting server.
@Suite struct StoredFactsTests {
    @Test func theFactsComeBackAsTheStoreGivesThemBack() async throws {
        let steps = Explorer(seed: 3, users: 6, steps: 4_000).generatedSteps(count: 4_000)
        let facts = Transcript(of: steps).entries.flatMap(\.facts)
        #expect(facts.contains { if case .messageDeleted = $0 { true } else { false } })
        #expect(facts.contains { if case .readMarkerMoved = $0 { true } else { false } })
        #expect(facts.contains { if case .roomArchived = $0 { true } else { false } })
        let store = try SQLiteChatStore(path: ":memory:")
        var stored = StoredFacts()
        for fact in facts {
            try await store.append([.fact(fact)])
            stored.record(fact)
        }
        for window in [1, 4, 10] {
            let recovered = try await store.recover(window: window)
            #expect(stored.recover(window: window) == recovered, "window \(window)")
        }
    }
}
