import Foundation
import TrocCore
import TrocCrypto

/// Everything `troc match` was asked, validated.
struct MatchRequest {
    var fileA: String
    var fileB: String
    var mappingsA: [ColumnMapping]
    var mappingsB: [ColumnMapping]
    var rules: ExchangeRules
    var policy: BalancingPolicy
    var secret: [UInt8]?
    var suppressionFile: String?
    var nafA: String?
    var nafB: String?
    var releaseDirectory: String?
    /// Provenance of what A delivers to B, and of what B delivers to A.
    var provenance: (a: DeliveryProvenance, b: DeliveryProvenance)?
    var jobs: Int
    var json: Bool

    init(command: MatchCommand, today: CivilDate) throws(TrocExit) {
        func parse(_ texts: [String]) throws(TrocExit) -> [ColumnMapping] {
            var mappings: [ColumnMapping] = []
            for text in texts {
                do {
                    mappings.append(try ColumnMapping(parsing: text))
                } catch {
                    throw TrocExit(.usage, error.description)
                }
            }
            return mappings
        }
        fileA = command.fileA
        fileB = command.fileB
        mappingsA = try parse(command.mappings + command.mappingsA)
        mappingsB = try parse(command.mappings + command.mappingsB)
        rules = ExchangeRules(asOf: command.asOf.flatMap(CivilDate.init(iso8601:)) ?? today, retentionMonths: command.retentionMonths)
        policy = command.policy
        suppressionFile = command.suppression
        nafA = command.nafA
        nafB = command.nafB
        releaseDirectory = command.releaseDirectory
        if let nameA = command.supplierAName, let nameB = command.supplierBName, let dealID = command.dealID {
            let siren = { (text: String?) in text.flatMap { try? CompanyIdentifier.parse($0).get() }?.description }
            provenance = (
                DeliveryProvenance(
                    supplierName: nameA.trimmingCharacters(in: .whitespaces), supplierSIREN: siren(command.supplierASIREN), dealID: dealID),
                DeliveryProvenance(
                    supplierName: nameB.trimmingCharacters(in: .whitespaces), supplierSIREN: siren(command.supplierBSIREN), dealID: dealID)
            )
        }
        jobs = command.jobs
        json = command.json
        if let keyFile = command.keyFile {
            guard let contents = FileManager.default.contents(atPath: keyFile) else {
                throw TrocExit(.badInput, "\(keyFile): cannot read the key file")
            }
            do {
                secret = try MatchKeySecret.parse(Array(contents))
            } catch {
                throw TrocExit(.badInput, "\(keyFile): \(error.description)")
            }
        }
    }
}

/// Runs a match and prints it; separated from argument parsing so that tests drive it directly.
struct MatchRunner {
    let output: any TextSink
    let errors: any TextSink

    func run(_ request: MatchRequest) throws(TrocExit) {
        let hasher = HMACMatchKeyHasher(secret: request.secret ?? MatchKeySecret.random())
        let rules = SectorRules(reference: request.rules.reference)
        var aAcceptsConsumers = true
        var bAcceptsConsumers = true
        for (flag, code) in [("--naf-a", request.nafA), ("--naf-b", request.nafB)] {
            guard let code else { continue }
            let subclass: NAFSubclass
            switch NAFCode.recognise(code, nomenclature: nil, reference: rules.reference) {
            case .success(let found): subclass = found
            case .failure(let error): throw TrocExit(.usage, "\(flag) \(code): \(error.description)")
            }
            if flag == "--naf-a" {
                aAcceptsConsumers = rules.mayReceiveConsumerContacts(subclass.code, in: subclass.nomenclature)
            } else {
                bAcceptsConsumers = rules.mayReceiveConsumerContacts(subclass.code, in: subclass.nomenclature)
            }
        }
        let suppression = try request.suppressionFile.map { path throws(TrocExit) in try loadSuppression(path, hasher: hasher) } ?? .empty

        let paths = [request.fileA, request.fileB]
        let sources: [FileByteSource] = [try FileByteSource(path: request.fileA), try FileByteSource(path: request.fileB)]
        let sets: [ContactSet]
        do {
            sets = try ContactFileIngest.read(
                sources, mappings: [request.mappingsA, request.mappingsB], rules: request.rules, hasher: hasher, parallelism: request.jobs)
        } catch {
            throw TrocExit(.badInput, "\(paths[error.fileIndex]): \(error.description)")
        }
        let outcome = MatchEngine.match(
            sets[0], sets[1],
            options: MatchOptions(
                rules: request.rules, policy: request.policy, suppression: suppression, aAcceptsConsumers: aAcceptsConsumers,
                bAcceptsConsumers: bAcceptsConsumers))

        if let directory = request.releaseDirectory {
            guard let provenance = request.provenance else {
                throw TrocExit(.usage, "--release-dir needs --supplier-a-name, --supplier-b-name and --deal-id")
            }
            try writeRelease(directory, request: request, provenance: provenance, outcome: outcome)
        }
        if request.json {
            output.write(MatchReportJSON.encode(outcome.report) + "\n")
        } else {
            output.write(MatchReportText.render(outcome.report, names: (request.fileA, request.fileB)))
        }
    }

    /// Hashes a suppression list (one value per line) with the run's key.
    private func loadSuppression(_ path: String, hasher: HMACMatchKeyHasher) throws(TrocExit) -> SuppressionList {
        guard let data = FileManager.default.contents(atPath: path) else { throw TrocExit(.badInput, "\(path): cannot read the suppression file") }
        var entries: [(MatchKeyKind, MatchKey)] = []
        // CRLF is one Character in Swift: split on every kind of line end, as Windows editors save them.
        for (index, line) in String(decoding: data, as: UTF8.self).split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let value = String(line)
            switch SuppressionList.canonical(value) {
            case nil: continue
            case .success(let (kind, canonical)): entries.append((kind, hasher.matchKey(kind, of: canonical)))
            case .failure(let reason):
                if index == 0 { continue }  // a header line such as "email"
                errors.write("\(path): line \(index + 1): skipped: \(reason.explanation)\n")
            }
        }
        return SuppressionList(entries: entries)
    }

    private func writeRelease(
        _ directory: String, request: MatchRequest, provenance: (a: DeliveryProvenance, b: DeliveryProvenance), outcome: MatchOutcome
    ) throws(TrocExit) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw TrocExit(.badInput, "\(directory): cannot create the release directory (\(error.localizedDescription))")
        }
        let plans = [
            ("to-a.csv", request.fileB, request.mappingsB, outcome.toA, provenance.b),
            ("to-b.csv", request.fileA, request.mappingsA, outcome.toB, provenance.a),
        ]
        for (name, source, mappings, selection, supplier) in plans {
            let path = (directory as NSString).appendingPathComponent(name)
            let temporary = path + ".partial"
            guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
                throw TrocExit(.badInput, "\(temporary): cannot write")
            }
            do {
                let reader = try FileByteSource(path: source)
                _ = try CanonicalContactWriter.write(
                    from: reader, mappings: mappings, selection: selection, provenance: supplier, asOf: outcome.report.asOf
                ) { bytes in
                    try handle.write(contentsOf: Data(bytes))
                }
                try handle.close()
                // Rename only when complete, so a crash never leaves a half file under the final name.
                _ = try? FileManager.default.removeItem(atPath: path)
                try FileManager.default.moveItem(atPath: temporary, toPath: path)
            } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                throw TrocExit(.badInput, "\(path): \(error)")
            }
        }
    }
}
