import ChatEngine
import ChatStore
import Foundation
import Testing

/// A fresh directory under the system's temporary directory, removed by the caller.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appending(path: "chat-store-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs `body` with the path of a database file in a fresh directory.
func withDatabasePath<T>(_ body: (String) async throws -> T) async throws -> T {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory.appending(path: "chat.sqlite").path)
}

/// The facts among events.
func facts(_ events: [Event]) -> [Fact] {
    events.compactMap { if case .fact(let fact) = $0 { fact } else { nil } }
}

/// An engine whose every accepted fact is appended to a store, as a server does.
struct PersistedEngine {
    var engine: ChatEngine
    let store: any ChatStore

    @discardableResult
    mutating func run(_ command: Command, at instant: Instant = .zero) async throws -> Outcome {
        let outcome = engine.handle(command, at: instant)
        let writes = facts(outcome.events).map(StoreWrite.fact)
        if !writes.isEmpty { try await store.append(writes) }
        return outcome
    }
}

/// The failure that closed `store` to writes, if any.
func failure(of store: any ChatStore) -> StoreError? {
    switch store {
    case let store as SQLiteChatStore: store.failure
    case let store as PostgresChatStore: store.failure
    default: nil
    }
}
