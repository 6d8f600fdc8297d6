// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "swift-chat",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ChatEngine", targets: ["ChatEngine"]),
        .executable(name: "chat-sim", targets: ["chat-sim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        // The pure chat state machine: standard library only, no packages, no Foundation.
        .target(name: "ChatEngine"),
        // glibc's allocator statistics, for the benchmark's heap figures.
        .target(name: "CHeapUsage", path: "Simulations/CHeapUsage"),
        .executableTarget(
            name: "chat-sim",
            dependencies: [
                "ChatEngine",
                "CHeapUsage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Simulations/chat-sim"
        ),
        .testTarget(name: "ChatEngineTests", dependencies: ["ChatEngine"]),
    ],
    swiftLanguageModes: [.v6]
)
