import ChatEngine
import ChatStore

/// What the routes and sockets share.
struct ServerServices: Sendable {
    let configuration: ServerConfiguration
    let core: ChatCore
    let tokens: TokenService
    let passwords: PasswordHasher
    let loginThrottle: LoginThrottle
    let sendLimiter: SendRateLimiter

    var store: any ChatStore { core.store }
    var metrics: ServerMetrics { core.metrics }
    /// Where time comes from.
    var clock: any ChatClock { core.clock }

    /// Runs a command, mapping a storage failure to a 503.
    func execute(_ command: Command, extraWrites: @escaping @Sendable (Reply) -> [StoreWrite] = { _ in [] }) async throws(APIError) -> Result<Reply, Rejection> {
        do {
            return try await core.execute(command, extraWrites: extraWrites)
        } catch {
            throw APIError(error)
        }
    }

    /// Runs a command that must succeed, mapping a rejection to its HTTP error.
    func require(_ command: Command, extraWrites: @escaping @Sendable (Reply) -> [StoreWrite] = { _ in [] }) async throws(APIError) -> Reply {
        switch try await execute(command, extraWrites: extraWrites) {
        case .success(let reply): return reply
        case .failure(let rejection): throw APIError(rejection)
        }
    }

    /// A store read, mapping failures to a 503.
    func storeRead<T>(_ body: () async throws(StoreError) -> T) async throws(APIError) -> T {
        do {
            return try await body()
        } catch {
            throw APIError(.serviceUnavailable, APIError.storageUnavailable)
        }
    }
}
