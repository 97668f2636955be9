import Foundation
import Synchronization
import Testing
import TrocClient
import TrocCore

/// The real daemon killed with SIGKILL at seeded random instants while firms upload, match, accept, download and delete
/// files, operators approve and release (deliveries and invoices), backups run and, between two lives, the master key
/// rotates (itself killed at a random instant). After each restart nothing is lost, corrupted or left half-done.
///
/// `TROC_CRASH_RUNS` (kills) and `TROC_CRASH_SEED` choose the campaign; `Tests/Campaigns/crash.sh` runs the full one.
@Suite(.serialized) struct CrashCampaignEndToEndTests {
    typealias World = BrokerEndToEndTests.World

    @Test func killedAtAnyInstantTheBrokerLosesNothing() throws {
        let environment = ProcessInfo.processInfo.environment
        let runs = Int(environment["TROC_CRASH_RUNS"] ?? "") ?? 5
        let seed = UInt64(environment["TROC_CRASH_SEED"] ?? "") ?? 15
        var random = SeededRandom(seed: seed)
        print("crash campaign: TROC_CRASH_SEED=\(seed) TROC_CRASH_RUNS=\(runs)")
        let world = try World.make("crash")
        defer { world.cleanUp() }
        let settings = try run(
            Binaries.trocd, ["admin", "settings", "set", "reports-per-pair=\(CrashWorkload.dealLimit)", "--reason", "crash campaign"],
            in: world.directory)
        #expect(settings.status == 0, "\(settings.error)")
        try world.joinery.succeed("keygen")
        try world.heating.succeed("keygen")
        let workload = try CrashWorkload(world: world)
        var daemon = world.daemon
        defer { daemon.stop() }

        for kill in stride(from: 1, through: runs, by: 1) {
            let delay = random.next(below: 3_000)
            let rotate = random.next(below: 4) == 0
            let rotationDelay = random.next(below: 400)
            print(
                "crash \(kill)/\(runs): kill -9 \(delay) ms into the workload\(rotate ? ", then rotate-master-key killed at \(rotationDelay) ms" : "")"
            )
            let worker = Thread { workload.step(kill) }
            worker.start()
            usleep(UInt32(delay) * 1000)
            Foundation.kill(daemon.process.processIdentifier, SIGKILL)
            daemon.process.waitUntilExit()
            workload.stopped.store(true, ordering: .sequentiallyConsistent)
            while !worker.isFinished { usleep(10_000) }
            workload.stopped.store(false, ordering: .sequentiallyConsistent)
            if rotate { try Self.rotateMasterKey(in: world.directory, killedAfter: rotationDelay) }
            daemon = try Daemon(in: world.directory)
            for user in [world.operatorUser, world.joinery, world.heating] { try world.relogin(user, to: daemon) }
            try workload.checkStorage(after: "kill \(kill)")
        }

        // Without kills, every deal finishes; its deliveries are what `troc match` computes offline.
        for _ in 0..<(CrashWorkload.dealLimit * 6) where workload.step(0) {}
        try workload.checkStorage(after: "the last run")
        try workload.checkDeliveries()
    }

    /// Runs `trocd admin rotate-master-key` and kills it after `delay` milliseconds unless it finished first.
    static func rotateMasterKey(in directory: URL, killedAfter delay: UInt64) throws {
        let process = Process()
        var killed = false
        process.executableURL = Binaries.trocd
        process.arguments = ["admin", "rotate-master-key"]
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(UInt32(delay) * 1000)
        killed = process.isRunning
        if killed { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        print("  rotate-master-key \(killed ? "killed" : "finished (exit \(process.terminationStatus))")")
    }

    /// SplitMix64: the campaign's instants from its seed alone.
    struct SeededRandom {
        var state: UInt64

        init(seed: UInt64) { state = seed }

        /// The next number below `bound`.
        mutating func next(below bound: UInt64) -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return (z ^ (z >> 31)) % bound
        }
    }
}
