// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "swift-chat",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ChatEngine", targets: ["ChatEngine"]),
        .library(name: "ChatProtocol", targets: ["ChatProtocol"]),
        .library(name: "ChatStore", targets: ["ChatStore"]),
        .executable(name: "chat-sim", targets: ["chat-sim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        // The pure chat state machine: standard library only, no packages, no Foundation.
        .target(name: "ChatEngine"),
        // Durable storage of the engine's facts: SQLite through GRDB.
        .target(name: "ChatStore", dependencies: ["ChatEngine", .product(name: "GRDB", package: "GRDB.swift")]),
        // glibc's allocator statistics, for the benchmark's heap figures.
        .target(name: "CHeapUsage", path: "Simulations/CHeapUsage"),
        .executableTarget(
            name: "chat-sim",
            dependencies: [
                "ChatEngine",
                "ChatStore",
                "CHeapUsage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Simulations/chat-sim"
        ),
        // Scripts and generators shared by the test targets.
        .target(name: "ChatTestSupport", dependencies: ["ChatEngine"], path: "Tests/ChatTestSupport"),
        .testTarget(name: "ChatEngineTests", dependencies: ["ChatEngine", "ChatTestSupport"]),
        .target(name: "ChatProtocol", dependencies: ["ChatEngine"]),
        .testTarget(name: "ChatProtocolTests", dependencies: ["ChatProtocol"]),
        .testTarget(name: "ChatStoreTests", dependencies: ["ChatStore", "ChatTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
