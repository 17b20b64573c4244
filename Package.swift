// swift-tools-version: 6.1
// Tremplin: ranked, explained shortlists for vocational training sessions.
// Layers import downward only: TremplinCore (pure) <- TremplinStore (SQLite) <-
// TremplinServices (use cases) <- front ends (the `tremplin` executable).
// TremplinPostgres sits beside TremplinStore: the same store layer on PostgreSQL.
import PackageDescription

let package = Package(
    name: "Tremplin",
    platforms: [.macOS(.v15)],   // Synchronization.Mutex (the interface's effect worker)
    products: [
        .executable(name: "tremplin", targets: ["tremplin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // Pure domain: no I/O, no SQLite, no terminal.
        .target(name: "TremplinCore", dependencies: [
            .product(name: "Crypto", package: "swift-crypto"),   // policy versions and input digests (pure code)
        ]),
        // The system libsqlite3's C API, for bulk binding in the store only.
        .systemLibrary(name: "CSQLite3", path: "Sources/CSQLite3"),
        // SQLite through GRDB: schema, migrations, audited writes, audit chain.
        .target(name: "TremplinStore", dependencies: [
            "TremplinCore", "CSQLite3",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // PostgreSQL for a whole region, through postgres-nio (TLS by NIOSSL):
        // the schema with its roles, append-only triggers, privileges and
        // row-level security, COPY, the audit chain extended under a lock.
        // SQL for PostgreSQL lives here only.
        .target(name: "TremplinPostgres", dependencies: [
            "TremplinCore", "TremplinStore",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Use cases: reference data, demo generation, import/export, access control.
        .target(name: "TremplinServices", dependencies: [
            "TremplinCore", "TremplinStore", "TremplinPostgres",
            .product(name: "GRDB", package: "GRDB.swift"), // transactions are GRDB closures
            .product(name: "Crypto", package: "swift-crypto"),   // the Ed25519 key of audit checkpoints
        ]),
        // HTTP for the outbound clients (Kannel's sendsms, the optional language
        // model) with AsyncHTTPClient, behind the services' `HTTPTransport` seam:
        // the services keep the requests, timeouts and French errors, not NIO.
        .target(name: "TremplinHTTP", dependencies: [
            "TremplinServices",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        // The counsellors' terminal interface as values: screen buffers, text
        // width, sanitising, themes (no ncurses here; a small backend draws).
        .target(name: "TremplinTUI", dependencies: ["TremplinCore"]),
        // ncursesw through a C shim; only TerminalBackend imports it.
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        .target(name: "TerminalBackend", dependencies: ["CNcursesw", "TremplinTUI"]),
        // The counsellors' application: state, update, views, and the effects
        // that read and write through the services (no ncurses here).
        .target(name: "TremplinApp", dependencies: ["TremplinCore", "TremplinStore", "TremplinServices", "TremplinTUI"]),
        // Command-line and full-screen front end.
        .executableTarget(name: "tremplin", dependencies: [
            "TremplinCore", "TremplinStore", "TremplinServices", "TremplinTUI", "TremplinApp", "TerminalBackend", "TremplinHTTP",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Hummingbird", package: "hummingbird"),   // `tremplin serve`: inbound SMS and delivery reports
            .product(name: "Logging", package: "swift-log"),          // `serve`'s one line per request (Hummingbird's logger)
            .product(name: "NIOPosix", package: "swift-nio"),         // `serve`'s thread pool for SQLite, off the event loops
        ]),
        // Fixtures shared by the test targets: temporary databases with the
        // real reference data, demo users, the built binary.
        .target(name: "TremplinTestSupport", dependencies: ["TremplinCore", "TremplinStore", "TremplinServices", "TremplinPostgres"],
                path: "Tests/TremplinTestSupport"),
        .testTarget(name: "TremplinCoreTests", dependencies: [
            "TremplinCore",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "TremplinTUITests", dependencies: ["TremplinTUI", "TremplinCore"]),
        .testTarget(name: "TremplinAppTests", dependencies: ["TremplinApp", "TremplinTUI", "TremplinCore", "TremplinServices",
                                                            "TremplinStore", "TremplinTestSupport"],
                    exclude: ["Snapshots"]),   // screens as text, read by the tests from the source tree
        .testTarget(name: "TremplinStoreTests", dependencies: ["TremplinStore", "TremplinServices", "TremplinTestSupport", "TremplinPostgres",
                                                              .product(name: "GRDB", package: "GRDB.swift"),
                                                              .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "TremplinServicesTests", dependencies: ["TremplinServices", "TremplinStore", "TremplinTestSupport", "TremplinHTTP", "TremplinPostgres",
                                                                 .product(name: "GRDB", package: "GRDB.swift")],
                    exclude: ["Fixtures"]),
        // Drives the terminal backend in tmux for its end-to-end tests.
        .executableTarget(name: "tremplin-terminal-probe", dependencies: ["TerminalBackend", "TremplinTUI"], path: "Tests/TerminalProbe"),
        .testTarget(name: "TremplinCLITests", dependencies: ["TremplinStore", "TremplinServices", "TremplinTestSupport", "tremplin-terminal-probe", "TremplinPostgres",
                                                            .product(name: "GRDB", package: "GRDB.swift")]),
        .executableTarget(
            name: "TremplinBenchmarks",
            dependencies: [
                "TremplinCore", "TremplinStore", "TremplinServices", "TremplinApp", "TremplinTUI", "TremplinPostgres",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/TremplinBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
