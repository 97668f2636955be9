import ArgumentParser
import Foundation
import TrocCore

/// `troc match A.csv B.csv`: what the broker would compute for two files, offline.
struct MatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Match two prospect files offline: dedupe, keyed-hash overlap, compliance, balancing.",
        discussion: """
            Reads two CSV exports (any of ; , TAB |, UTF-8, UTF-16 or Windows-1252), prints the aggregated report
            that the broker would compute, and optionally writes the files each side would receive.
            """
    )

    @Argument(help: "Partner A's prospect file (CSV).")
    var fileA: String

    @Argument(help: "Partner B's prospect file (CSV).")
    var fileB: String

    @Option(help: "Balancing policy: equal-count, quality-weighted or all.", transform: MatchCommand.policy(named:))
    var policy: BalancingPolicy = .equalCount

    @Option(name: .customLong("as-of"), help: "Reference date (yyyy-mm-dd); today by default.")
    var asOf: String?

    @Option(name: .customLong("retention-months"), help: "Months a collection or last-contact date stays fresh.")
    var retentionMonths: Int = 13

    @Option(name: .customLong("key-file"), help: "Secret for the keyed hashes (64 hex digits, base64 or ≥16 raw bytes); random per run otherwise.")
    var keyFile: String?

    @Option(help: "Suppression list: one email, phone or SIRET per line.")
    var suppression: String?

    @Option(name: .customLong("map"), help: "Column override for both files: COLUMN=FIELD (or COLUMN=ignore). Repeatable.")
    var mappings: [String] = []

    @Option(name: .customLong("map-a"), help: "Column override for file A only.")
    var mappingsA: [String] = []

    @Option(name: .customLong("map-b"), help: "Column override for file B only.")
    var mappingsB: [String] = []

    @Option(
        name: .customLong("naf-a"),
        help: "Partner A's NAF code (rév. 2 or NAF 2025): B2C contacts are never sent to trades on the renovation / home-adaptation list.")
    var nafA: String?

    @Option(name: .customLong("naf-b"), help: "Partner B's NAF code.")
    var nafB: String?

    @Option(
        name: .customLong("release-dir"),
        help: "Write to-a.csv and to-b.csv, the files a release would hand over (needs --supplier-a-name, --supplier-b-name and --deal-id).")
    var releaseDirectory: String?

    @Option(name: .customLong("supplier-a-name"), help: "Partner A's legal name, written as the supplier of every row B receives.")
    var supplierAName: String?

    @Option(name: .customLong("supplier-a-siren"), help: "Partner A's SIREN (omit for a firm established outside France).")
    var supplierASIREN: String?

    @Option(name: .customLong("supplier-b-name"), help: "Partner B's legal name, written as the supplier of every row A receives.")
    var supplierBName: String?

    @Option(name: .customLong("supplier-b-siren"), help: "Partner B's SIREN (omit for a firm established outside France).")
    var supplierBSIREN: String?

    @Option(name: .customLong("deal-id"), help: "The deal the files are exchanged under, written on every delivered row.")
    var dealID: String?

    @Option(help: "Worker threads (default: all cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        guard retentionMonths >= 1, retentionMonths <= 36 else {
            throw ValidationError("--retention-months must be between 1 and 36 (the CNIL's outer limit for prospects is 3 years)")
        }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if let asOf, CivilDate(iso8601: asOf) == nil { throw ValidationError("--as-of \(asOf): expected a date as yyyy-mm-dd") }
        for (flag, siren) in [("--supplier-a-siren", supplierASIREN), ("--supplier-b-siren", supplierBSIREN)] {
            guard let siren else { continue }
            guard case .success(.siren) = CompanyIdentifier.parse(siren) else {
                throw ValidationError("\(flag) \(siren): not a SIREN (9 digits passing the Luhn check, such as 732829320)")
            }
        }
        if releaseDirectory != nil {
            // A delivery names its supplier and deal on every row (RGPD art. 14): without them it would be incomplete.
            for (flag, value) in [("--supplier-a-name", supplierAName), ("--supplier-b-name", supplierBName), ("--deal-id", dealID)]
            where value?.trimmingCharacters(in: .whitespaces).isEmpty ?? true {
                throw ValidationError("--release-dir needs \(flag): every delivered row names its supplier and the deal it comes from")
            }
        }
    }

    func run() async throws {
        let request = try MatchRequest(command: self, today: CivilDate.today)
        try MatchRunner(output: StandardStreams.output, errors: StandardStreams.error).run(request)
    }
}

extension MatchCommand {
    /// Parses `--policy`.
    static func policy(named name: String) throws -> BalancingPolicy {
        guard let policy = BalancingPolicy(rawValue: name) else {
            throw ValidationError("--policy \(name): expected one of " + BalancingPolicy.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return policy
    }
}

extension CivilDate {
    /// Today's date in UTC, read from the clock here, at the edge: Core never reads it.
    static var today: CivilDate {
        CivilDate(daysSinceEpoch: Int32(Int(Date().timeIntervalSince1970) / 86_400))
    }
}
