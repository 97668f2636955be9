import Benchmark
import TrocCore
import TrocCrypto

/// The engine's parts one at a time, so a regression shows in the part that caused it: the whole ingest of a file
/// (decode, parse, normalise, hash), the match of two ingested files, each normaliser on real cells, and the keyed hash.
///
/// Run with `Benchmarks/micro.sh` (see README "Micro-benchmarks"): `baseline update NAME` stores a run,
/// `baseline check NAME` fails when a later run is slower than the thresholds below allow.
let benchmarks: @Sendable () -> Void = {
    // Wall clock within 10 % at the median and 15 % at p75 on an idle machine (runs move by a few per cent); allocations
    // within 2 % or 64 of the median: the harness itself allocates a few dozen times, and an allocation per row more
    // (100,000) is what must show.
    let wallClock = BenchmarkThresholds(relative: [.p50: 10, .p75: 15])
    let allocations = BenchmarkThresholds(relative: [.p50: 2], absolute: [.p50: 64])
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        timeUnits: .milliseconds, maxDuration: .seconds(10), maxIterations: 30,
        thresholds: [.wallClock: wallClock, .mallocCountTotal: allocations])

    let rules = ExchangeRules(asOf: CivilDate(year: 2026, month: 12, day: 1)!)
    let hasher = HMACMatchKeyHasher(secret: Array("troc-micro-benchmark-secret-0123".utf8))
    let ingest = { (files: [[UInt8]], parallelism: Int) in
        try ContactFileIngest.read(
            files.map(InMemorySource.init), mappings: files.map { _ in [] }, rules: rules, hasher: hasher, parallelism: parallelism)
    }

    Benchmark("ingest 100k rows, one thread") { benchmark in
        let file = MicroInput.shared.b
        benchmark.startMeasurement()
        blackHole(try ingest([file], 1))
    }

    Benchmark("ingest 2 × 100k rows, two threads") { benchmark in
        let files = [MicroInput.shared.a, MicroInput.shared.b]
        benchmark.startMeasurement()
        blackHole(try ingest(files, 2))
    }

    Benchmark("match 2 × 100k ingested rows") { benchmark in
        let sets = try ingest([MicroInput.shared.a, MicroInput.shared.b], 2)
        let options = MatchOptions(rules: rules, policy: .equalCount, aAcceptsConsumers: true, bAcceptsConsumers: true)
        benchmark.startMeasurement()
        blackHole(MatchEngine.match(sets[0], sets[1], options: options))
    }

    Benchmark("email normaliser, 100k cells") { benchmark in
        let cells = MicroInput.shared.emails
        benchmark.startMeasurement()
        for cell in cells { blackHole(EmailNormaliser.normalise(cell)) }
    }

    Benchmark("phone normaliser, 100k cells") { benchmark in
        let cells = MicroInput.shared.phones
        benchmark.startMeasurement()
        for cell in cells { blackHole(PhoneNormaliser.normalise(cell)) }
    }

    Benchmark("SIRET parser, 100k cells") { benchmark in
        let cells = MicroInput.shared.sirets
        benchmark.startMeasurement()
        for cell in cells { blackHole(CompanyIdentifier.parse(cell)) }
    }

    Benchmark("HMAC match key, 100k single") { benchmark in
        let keys = MicroInput.shared.emails.map { Array($0.utf8) }
        benchmark.startMeasurement()
        for key in keys { blackHole(key.withUnsafeBytes { hasher.matchKey(.email, of: $0) }) }
    }

    Benchmark("HMAC match keys, 100k in pairs") { benchmark in
        let emails = MicroInput.shared.emails.map { Array($0.utf8) }
        let phones = MicroInput.shared.phones.map { Array($0.utf8) }
        benchmark.startMeasurement()
        for (email, phone) in zip(emails, phones) {
            blackHole(email.withUnsafeBytes { e in phone.withUnsafeBytes { p in hasher.matchKeys(.email, of: e, .phone, of: p) } })
        }
    }
}
