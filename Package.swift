// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "swift-chat",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ChatEngine", targets: ["ChatEngine"]),
        .library(name: "ChatProtocol", targets: ["ChatProtocol"]),
        .library(name: "ChatStore", targets: ["ChatStore"]),
        .library(name: "ChatService", targets: ["ChatService"]),
        .library(name: "ChatServer", targets: ["ChatServer"]),
        .library(name: "ChatWire", targets: ["ChatWire"]),
        .library(name: "ChatFixtures", targets: ["ChatFixtures"]),
        .library(name: "ChatSimulation", targets: ["ChatSimulation"]),
        .executable(name: "chat-server", targets: ["chat-server"]),
        .executable(name: "chat-sim", targets: ["chat-sim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // The pure chat state machine: standard library only, no packages, no Foundation.
        .target(name: "ChatEngine"),
        // Durable storage of the engine's facts: SQLite through GRDB, PostgreSQL through postgres-nio.
        .target(
            name: "ChatStore",
            dependencies: [
                "ChatEngine",
                .product(name: "GRDB", package: "GRDB.swift"),
                // To tell when an append is made on an event loop (see `GroupCommit`).
                .product(name: "NIOPosix", package: "swift-nio"),
                // SQLite's own API, for the one statement run per message (see `insertMessage`).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // Only to name the pool's own errors (the server unreachable for too long).
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The application without sockets or HTTP: the engine's owner, accounts, limits, who may
        // read what, the seed socket protocol as values in and frames out, an injected clock.
        .target(
            name: "ChatService",
            dependencies: [
                "ChatEngine", "ChatProtocol", "ChatStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ChatServiceTests",
            dependencies: [
                "ChatService", "ChatStore", "ChatProtocol", "ChatEngine", "ChatTestSupport", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        // Server frames as wire bytes: encoded once by NIO's WebSocket encoder for all their
        // recipients, and joined into one write per socket (chat-server and the ceiling server).
        .target(
            name: "ChatWire",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "ChatWireTests",
            dependencies: [
                "ChatWire", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
        // The HTTP/WebSocket adapter: Hummingbird routes and NIO socket pipelines over the service.
        .target(
            name: "ChatServer",
            dependencies: [
                "ChatEngine", "ChatProtocol", "ChatStore", "ChatService", "ChatWire",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources/openapi.json"), .copy("Resources/web")]
        ),
        .executableTarget(
            name: "chat-server",
            dependencies: [
                "ChatServer", "ChatEngine", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // Scripted scenarios: the fixture format and its in-process replay through the service,
        // and the writer of a shrunk exploration failure as a fixture.
        .target(name: "ChatFixtures", dependencies: ["ChatEngine", "ChatProtocol", "ChatStore", "ChatService", "ChatSimulation"]),
        // glibc's allocator statistics, for the benchmark's heap figures.
        .target(name: "CHeapUsage", path: "Simulations/CHeapUsage"),
        .executableTarget(
            name: "chat-sim",
            dependencies: [
                "ChatEngine",
                "ChatStore",
                "ChatFixtures",
                "ChatSimulation",
                "CHeapUsage",
                "ChatWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                // The store benchmark makes and drops a database per run.
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Simulations/chat-sim"
        ),
        // Scripts and generators shared by the test targets.
        .target(
            name: "ChatTestSupport",
            dependencies: [
                "ChatEngine", "ChatSimulation", "ChatStore",
                // A fresh PostgreSQL database per test, on the server of CHAT_TEST_POSTGRES_URL.
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/ChatTestSupport"
        ),
        .testTarget(name: "ChatEngineTests", dependencies: ["ChatEngine", "ChatSimulation", "ChatTestSupport"]),
        .target(name: "ChatProtocol", dependencies: ["ChatEngine"]),
        .testTarget(name: "ChatProtocolTests", dependencies: ["ChatProtocol"]),
        .testTarget(
            name: "ChatStoreTests",
            dependencies: [
                "ChatStore", "ChatTestSupport", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "ChatFixturesTests", dependencies: ["ChatFixtures"]),
        // chat-server is built for the live explorations, which start it.
        .testTarget(
            name: "ChatSimTests",
            dependencies: [
                "chat-sim", "chat-server", "ChatEngine", "ChatProtocol", "ChatSimulation", "ChatStore", "ChatTestSupport",
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        // The explorer: seeded random workloads checked against a reference model, with shrinking.
        .target(name: "ChatSimulation", dependencies: ["ChatEngine"]),
        .testTarget(name: "ChatSimulationTests", dependencies: ["ChatSimulation", "ChatFixtures", "ChatEngine", "ChatStore"]),
        .testTarget(
            name: "ChatServerTests",
            dependencies: [
                "ChatServer", "ChatService", "ChatStore", "ChatEngine", "ChatProtocol", "ChatFixtures", "ChatTestSupport",
                // Built for the end-to-end tests, which run the real executable; chat-sim's live
                // fixture driver for the in-process/live parity test.
                "chat-server", "chat-sim",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
