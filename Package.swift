// swift-tools-version:6.2
import PackageDescription

/// Swift 6 language mode everywhere, with the upcoming features STYLE.md asks for, and warnings as errors.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "troc",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "troc", targets: ["troc"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // Where a block's separators, line ends and quotes are, one bit per byte, with AVX2 (StructuralIndex).
        .target(name: "CTrocScan"),
        .target(name: "TrocCore", dependencies: ["CTrocScan"], swiftSettings: swiftSettings),
        // A PDF/A-3 writer of our own (see PDFA3Document for why), depending on nothing but the standard library.
        .target(name: "TrocPDF", swiftSettings: swiftSettings),
        // Factur-X: the invoice laid out as a PDF/A-3 with its CII XML attached; holds the fonts and ICC profile it embeds.
        .target(
            name: "TrocFacturX",
            dependencies: ["TrocCore", "TrocPDF"],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CTrocHash",
            linkerSettings: [.linkedLibrary("crypto")]
        ),
        .target(
            name: "TrocCrypto",
            dependencies: [
                "TrocCore",
                "CTrocHash",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TrocStore",
            dependencies: [
                "TrocCore",
                "TrocCrypto",
                "TrocObjectStore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TrocServer",
            dependencies: [
                "TrocCore",
                "TrocFacturX",
                "TrocCrypto",
                "TrocObjectStore",
                "TrocPDF",
                "TrocPostgres",
                "TrocStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            resources: [.copy("openapi.yaml"), .copy("Console/Assets"), .copy("Console/Templates")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TrocClient",
            dependencies: [
                "TrocCore",
                "TrocCrypto",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // An S3 client with its own Signature V4 signer, for the object-store blob backend (issue 14).
        .target(
            name: "TrocObjectStore",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The PostgreSQL record store's foundation (issue 14): schema, migrations, audit chain, numbering, jobs.
        .target(
            name: "TrocPostgres",
            dependencies: [
                "TrocCore",
                "TrocCrypto",
                "TrocStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "trocd",
            dependencies: [
                "TrocCore",
                "TrocCrypto",
                "TrocObjectStore",
                "TrocPostgres",
                "TrocServer",
                "TrocStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // `troc`'s commands, in a library so tests can run them with their output captured; `troc` itself is its `@main`.
        .target(
            name: "TrocCLI",
            dependencies: [
                "TrocCore",
                "TrocCrypto",
                "TrocClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "troc", dependencies: ["TrocCLI"], swiftSettings: swiftSettings),
        // Helpers shared by the test targets (the independent checkers they run).
        .target(
            name: "TrocTestSupport",
            dependencies: ["TrocObjectStore", .product(name: "NIOCore", package: "swift-nio")],
            path: "Tests/TrocTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TrocCoreTests",
            dependencies: [
                "TrocCore",
                "CTrocScan",
                "TrocTestSupport",
                "TrocCrypto",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TrocPDFTests",
            dependencies: ["TrocPDF", "TrocTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TrocFacturXTests",
            dependencies: ["TrocFacturX", "TrocCore", "TrocPDF", "TrocTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TrocCryptoTests",
            dependencies: [
                "TrocCrypto",
                "TrocCore",
                "TrocTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TrocStoreTests",
            dependencies: [
                "TrocTestSupport",
                "TrocObjectStore",
                "TrocStore",
                "TrocCore",
                "TrocCrypto",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TrocServerTests",
            dependencies: [
                "TrocTestSupport",
                "TrocObjectStore",
                "TrocServer",
                "TrocStore",
                "TrocCore",
                "TrocCrypto",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TrocClientTests",
            dependencies: [
                "TrocTestSupport",
                "TrocClient",
                "TrocCLI",
                "TrocServer",
                "TrocStore",
                "TrocCore",
                "TrocCrypto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TrocObjectStoreTests",
            dependencies: [
                "TrocTestSupport",
                "TrocObjectStore",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            exclude: ["Vectors"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TrocPostgresTests",
            dependencies: [
                "TrocPostgres",
                "TrocTestSupport",
                "TrocStore",
                "TrocCore",
                "TrocCrypto",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TrocEndToEndTests",
            dependencies: [
                "TrocTestSupport",
                "TrocObjectStore",
                "TrocCore",
                "TrocClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

// libFuzzer targets (Fuzz/), declared only when Fuzz/run.sh sets TROC_FUZZ=1, so the normal build and its
// tests never compile them. Our own modules then carry the fuzzer's coverage and AddressSanitizer; the
// dependencies stay uninstrumented so coverage measures Troc's code only.
if Context.environment["TROC_FUZZ"] == "1" {
    let sanitizers = ["-sanitize=fuzzer,address"]
    for target in package.targets where target.type == .regular {
        target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(sanitizers)]
        target.cSettings = (target.cSettings ?? []) + [.unsafeFlags(["-fsanitize=fuzzer-no-link,address"])]
    }
    package.targets.append(.target(name: "CLibFuzzer", path: "Fuzz/Sources/CLibFuzzer"))
    package.targets.append(
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"], path: "Fuzz/Sources/FuzzSupport", swiftSettings: swiftSettings))
    let harnesses: [(name: String, dependencies: [Target.Dependency])] = [
        ("FuzzContactFile", ["TrocCore", "TrocCrypto"]),
        ("FuzzEnvelope", ["TrocCrypto"]),
        ("FuzzBlob", ["TrocCrypto"]),
        ("FuzzKeyFile", ["TrocCore", "TrocCrypto"]),
        ("FuzzNormalisers", ["TrocCore"]),
        ("FuzzAPIDecoders", ["TrocCore", "TrocServer"]),
    ]
    for harness in harnesses {
        package.targets.append(
            .executableTarget(
                name: harness.name, dependencies: ["FuzzSupport"] + harness.dependencies, path: "Fuzz/Sources/\(harness.name)",
                swiftSettings: swiftSettings + [.unsafeFlags(sanitizers)],
                linkerSettings: [.unsafeFlags(sanitizers + ["-use-ld=lld"])]))
        package.products.append(.executable(name: harness.name, targets: [harness.name]))
    }
}

// Micro-benchmarks of the engine's parts (ordo-one/benchmark, Benchmarks/TrocMicroBenchmarks), declared only when
// Benchmarks/micro.sh sets TROC_BENCHMARKS=1: the normal build, its tests and CI never resolve or compile them.
if Context.environment["TROC_BENCHMARKS"] == "1" {
    package.dependencies.append(.package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]))
    package.targets.append(
        .executableTarget(
            name: "TrocMicroBenchmarks",
            dependencies: ["TrocCore", "TrocCrypto", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/TrocMicroBenchmarks", swiftSettings: swiftSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]))
}
