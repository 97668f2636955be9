import FuzzSupport
import TrocCore
import TrocCrypto

/// Contact files, from bytes to deliveries: the reader and ingest on two files, the match of one against
/// the other, and the canonical files a release would write from the result.
///
/// Input: a control byte (bits 0-1 policy, 2-3 the sides' consumer flags, 5-7 read size), a mode byte (bits
/// 0-1 which family of invariants to check, so that one execution stays cheap; bits 2-3 the reader limits),
/// then file A, the separator `0x1E 0x1E 0x1E 0x1E`, then file B. Without the separator, the file is
/// matched against itself.
enum ContactFileHarness {
    /// Marks the end of file A (four ASCII record separators, which no real export holds).
    static let separator: [UInt8] = [0x1E, 0x1E, 0x1E, 0x1E]
    /// A fixed key, so runs are reproducible.
    static let hasher = HMACMatchKeyHasher(secret: Array("troc-fuzz-secret-0123456789abcdef".utf8))
    static let rules = ExchangeRules(asOf: CivilDate(year: 2026, month: 11, day: 23)!)
    static let provenance = DeliveryProvenance(supplierName: "Menuiseries Durand SARL", supplierSIREN: "732829320", dealID: "del_FUZZ0001")
    /// Read sizes the control byte picks from: single bytes and primes split every token somewhere.
    static let readSizes = [[1], [2, 3], [7], [16, 1], [61], [256], [4096], [1 << 20]]
    /// Bounds that act as the defaults on inputs under 16 KiB (Fuzz/run.sh caps them at 8 KiB) without the
    /// megabyte buffers the defaults allocate per block, which the address sanitizer makes costly.
    static let inputSizedLimits = ReaderLimits(maxRecordBytes: 16 << 10, blockBytes: 16 << 10, sniffBytes: 16 << 10)
    /// Bounds under the decoder's first kilobyte (which it decodes at once), so short rows reach the limits.
    static let smallLimits = ReaderLimits(maxRecordBytes: 300, blockBytes: 128, sniffBytes: 96)
    /// Bounds past the first kilobyte, so a few kilobytes reach every limit with bytes arriving read by read.
    static let midLimits = ReaderLimits(maxRecordBytes: 3000, blockBytes: 2048, sniffBytes: 1500)
    static let limitChoices = [inputSizedLimits, smallLimits, midLimits, inputSizedLimits]

    /// One fuzzer input.
    static func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let control = input.byte()
        let modeByte = input.byte()
        let data = input.rest()
        let policy = BalancingPolicy.allCases[Int(control & 0b11) % BalancingPolicy.allCases.count]
        let options = MatchOptions(rules: rules, policy: policy, aAcceptsConsumers: control & 0b100 == 0, bAcceptsConsumers: control & 0b1000 == 0)
        let limits = limitChoices[Int(modeByte >> 2 & 0b11)]
        let sizes = readSizes[Int(control >> 5)]
        let files = data.split(at: separator).map { [$0.before, $0.after] } ?? [data, data]

        // The production path: both files through one ingest, read in the chosen slices.
        let together = Result { () throws(ContactFileFailure) in
            try ContactFileIngest.read(
                files.map { MemoryByteSource($0, readSizes: sizes) }, mappings: [[], []], rules: rules, hasher: hasher, parallelism: 1,
                limits: limits)
        }
        switch modeByte & 0b11 {
        case 0, 3:
            checkReading(together, files: files, sizes: sizes, limits: limits)
        case 1:
            guard case .success(let sets) = together else { return }
            let outcome = MatchEngine.match(sets[0], sets[1], options: options)
            checkMatch(outcome, lineCounts: files.map(lineBound), selfMatch: files[0] == files[1])
            let mirrored = MatchEngine.match(
                sets[1], sets[0],
                options: MatchOptions(
                    rules: rules, policy: policy, aAcceptsConsumers: options.bAcceptsConsumers, bAcceptsConsumers: options.aAcceptsConsumers))
            FuzzCheck.equal(mirrored.toA, outcome.toB, "A's contacts for B when the files swap places")
            FuzzCheck.equal(mirrored.toB, outcome.toA, "B's contacts for A when the files swap places")
            FuzzCheck.equal(mirrored.report.overlap.contacts, outcome.report.overlap.bContactsHeldByA, "contacts held when the files swap places")
        default:
            guard case .success(let sets) = together else { return }
            let outcome = MatchEngine.match(sets[0], sets[1], options: options)
            checkDelivery(outcome.toA, from: files[1], sizes: sizes, limits: limits)
            checkDelivery(outcome.toB, from: files[0], sizes: sizes, limits: limits)
        }
    }

    /// Each file read alone in one piece reads as it did in slices beside the other, and its report agrees with
    /// itself and with the file.
    static func checkReading(_ together: Result<[ContactSet], ContactFileFailure>, files: [[UInt8]], sizes: [Int], limits: ReaderLimits) {
        let alone = files.map { file in
            Result { () throws(ContactFileFailure) in
                try ContactFileIngest.read(
                    [MemoryByteSource(file, readSizes: [1 << 20])], mappings: [[]], rules: rules, hasher: hasher, parallelism: 1, limits: limits)[0]
            }
        }
        let sets: [ContactSet]
        switch together {
        case .failure(let failure):
            guard case .failure(let single) = alone[failure.fileIndex] else {
                fatalError("invariant broken: file \(failure.fileIndex) fails read in slices \(sizes) (\(failure)) but not in one read")
            }
            FuzzCheck.equal(single.error, failure.error, "the error of file \(failure.fileIndex) read in one piece and in slices \(sizes)")
            return
        case .success(let read):
            sets = read
        }
        for (index, file) in files.enumerated() {
            guard case .success(let single) = alone[index] else {
                fatalError("invariant broken: file \(index) reads in slices \(sizes) but not in one read")
            }
            let report = MatchEngine.fileReport(sets[index], rules: rules)
            FuzzCheck.equal(MatchEngine.fileReport(single, rules: rules), report, "file \(index)'s report read in one piece and in slices \(sizes)")
            checkReport(report, set: sets[index], lineCount: lineBound(file))
        }
    }

    /// The most lines the text of `bytes` can have, as an editor counts them: each CR LF, lone CR and lone LF ends a line
    /// (the reader counts no more: CR alone only in old-Mac files, where a CR LF is still one line end), plus one.
    static func lineBound(_ bytes: [UInt8]) -> Int {
        let pairs = zip(bytes, bytes.dropFirst()).count { $0 == 0x0D && $1 == 0x0A }
        return bytes.count { $0 == 0x0A } + bytes.count { $0 == 0x0D } - pairs + 1
    }

    /// A file's report agrees with itself and with the file.
    static func checkReport(_ report: FileReport, set: ContactSet, lineCount: Int) {
        let rowRejections = report.rejected.filter { $0.key.hasPrefix("row.") }.values.reduce(0, +)
        FuzzCheck.equal(set.acceptedRows, report.rows - rowRejections, "accepted rows = rows - rows rejected")
        FuzzCheck.equal(report.contacts + report.duplicates, set.acceptedRows, "contacts + duplicates = accepted rows")
        FuzzCheck.expect(report.validEmails + report.validPhones >= report.contacts, "a contact without a valid email or phone")
        FuzzCheck.equal(report.phoneClasses.values.reduce(0, +), report.validPhones, "phones by class = valid phones")
        FuzzCheck.expect(report.withConsent + report.refusedConsent <= report.contacts, "more consents than contacts")
        FuzzCheck.expect(report.stale + report.undated <= report.contacts, "more stale and undated than contacts")
        FuzzCheck.expect(report.exchangeable <= report.contacts, "more exchangeable than contacts")
        FuzzCheck.expect((0...1).contains(report.qualityScore), "quality score \(report.qualityScore) outside [0, 1]")
        FuzzCheck.expect(report.rejections.count <= ContactSet.rejectionSampleLimit, "more rejections kept than the sample limit")
        let sampled = report.rejected.values.map { min($0, ContactSet.rejectionSamplesPerReason) }.reduce(0, +)
        FuzzCheck.expect(report.rejections.count == min(sampled, ContactSet.rejectionSampleLimit), "sample size")
        for (reason, count) in report.rejected {
            let kept = report.rejections.count { $0.reason.rawValue == reason }
            FuzzCheck.expect(kept <= ContactSet.rejectionSamplesPerReason && kept <= count, "\(kept) samples of \(count) \(reason)")
        }
        for rejection in report.rejections {
            FuzzCheck.expect(rejection.line >= 2 && rejection.line <= lineCount, "rejection at line \(rejection.line) of a \(lineCount)-line file")
            FuzzCheck.expect(report.rejected[rejection.reason.rawValue] != nil, "sampled reason \(rejection.reason) not counted")
        }
        let places = report.rejections.map { ($0.line, $0.column ?? 0) }
        FuzzCheck.expect(zip(places, places.dropFirst()).allSatisfy { $0 <= $1 }, "rejections out of line order")
    }

    /// A match agrees with its files and its policy.
    static func checkMatch(_ outcome: MatchOutcome, lineCounts: [Int], selfMatch: Bool) {
        let report = outcome.report
        FuzzCheck.equal(report.delivery.toA, outcome.toA.count, "delivery count to A")
        FuzzCheck.equal(report.delivery.toB, outcome.toB.count, "delivery count to B")
        FuzzCheck.expect(report.overlap.contacts <= report.a.contacts, "A's held contacts exceed its contacts")
        FuzzCheck.expect(report.overlap.bContactsHeldByA <= report.b.contacts, "B's held contacts exceed its contacts")
        FuzzCheck.expect(report.netNew.a <= report.a.exchangeable && report.netNew.b <= report.b.exchangeable, "net new exceeds exchangeable")
        FuzzCheck.expect(outcome.toB.count <= report.netNew.a && outcome.toA.count <= report.netNew.b, "more delivered than net new")
        switch report.policy {
        case .equalCount: FuzzCheck.equal(outcome.toA.count, min(report.netNew.a, report.netNew.b), "equal-count delivers min(nA, nB)")
        case .all: FuzzCheck.expect(outcome.toA.count == report.netNew.b && outcome.toB.count == report.netNew.a, "all delivers every candidate")
        case .qualityWeighted: break
        }
        if report.policy == .equalCount { FuzzCheck.equal(outcome.toB.count, outcome.toA.count, "equal-count delivers as many each way") }
        if selfMatch {
            FuzzCheck.equal(report.overlap.contacts, report.a.contacts, "a file holds all its own contacts")
            FuzzCheck.expect(outcome.toA.isEmpty && outcome.toB.isEmpty, "a file matched with itself delivers something")
        }
        for (delivered, lineCount) in [(outcome.toA, lineCounts[1]), (outcome.toB, lineCounts[0])] {
            let lines = delivered.map(\.line)
            FuzzCheck.expect(zip(lines, lines.dropFirst()).allSatisfy { $0 < $1 }, "deliveries not in strict line order")
            FuzzCheck.expect(lines.allSatisfy { $0 >= 2 && $0 <= lineCount }, "delivered line outside the \(lineCount)-line file")
            FuzzCheck.expect(delivered.allSatisfy { $0.email || $0.phone }, "a contact delivered with no channel")
        }
    }

    /// The canonical file a release writes holds exactly the selected rows, and reads back without losing one.
    static func checkDelivery(_ selection: [DeliveredContact], from file: [UInt8], sizes: [Int], limits: ReaderLimits) {
        var output: [UInt8] = []
        let written: Int
        do {
            written = try CanonicalContactWriter.write(
                from: MemoryByteSource(file, readSizes: sizes), mappings: [], selection: selection, provenance: provenance,
                asOf: rules.asOf, limits: limits
            ) { output.append(contentsOf: $0) }
        } catch {
            fatalError("invariant broken: the canonical writer failed on a file the ingest read: \(error)")
        }
        FuzzCheck.equal(written, selection.count, "rows written for the selection")
        guard written > 0 else { return }
        let reread: ContactSet
        do {
            // Bounds as large as the output, as the defaults are: canonical rows may be longer than the rows they come from.
            let whole = ReaderLimits(maxRecordBytes: output.count + 1, blockBytes: output.count + 1, sniffBytes: output.count + 1)
            reread = try ContactFileIngest.read(
                [MemoryByteSource(output, readSizes: [1 << 20])], mappings: [[]], rules: rules, hasher: hasher, parallelism: 1, limits: whole)[0]
        } catch {
            fatalError("invariant broken: a canonical delivery does not read back: \(error)")
        }
        FuzzCheck.equal(reread.records, written, "rows read back from the canonical delivery")
        FuzzCheck.equal(reread.acceptedRows, written, "rows accepted back from the canonical delivery")
    }
}
