import Foundation
import TrocCrypto

@testable import TrocCore

/// A contact file held in memory, handed out in chunks of a chosen size (1 byte to test every split).
final class MemorySource: ContactByteSource {
    private let bytes: [UInt8]
    private let chunkSize: Int
    private var offset = 0

    init(_ bytes: [UInt8], chunkSize: Int = 1 << 20) {
        self.bytes = bytes
        self.chunkSize = chunkSize
    }

    convenience init(_ text: String, chunkSize: Int = 1 << 20) {
        self.init(Array(text.utf8), chunkSize: chunkSize)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(chunkSize, buffer.count, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}

/// Shared values for tests.
enum TestSupport {
    /// A fixed key, so keys are reproducible between runs.
    static let hasher = HMACMatchKeyHasher(secret: Array("troc-test-secret-0123456789abcdef".utf8))

    /// The reference date most tests use.
    static let asOf = CivilDate(year: 2026, month: 11, day: 23)!

    static let rules = ExchangeRules(asOf: asOf)

    /// Reads one file from memory.
    static func read(
        _ bytes: [UInt8], mappings: [ColumnMapping] = [], chunkSize: Int = 1 << 20, rules: ExchangeRules = rules,
        limits: ReaderLimits = ReaderLimits(), parallelism: Int = 2
    ) throws(ContactFileFailure) -> ContactSet {
        try ContactFileIngest.read(
            [MemorySource(bytes, chunkSize: chunkSize)], mappings: [mappings], rules: rules, hasher: hasher, parallelism: parallelism,
            limits: limits)[0]
    }

    static func read(_ text: String, mappings: [ColumnMapping] = [], chunkSize: Int = 1 << 20, rules: ExchangeRules = rules)
        throws(ContactFileFailure) -> ContactSet
    {
        try read(Array(text.utf8), mappings: mappings, chunkSize: chunkSize, rules: rules)
    }

    /// Matches two files given as text.
    static func match(_ a: String, _ b: String, options: MatchOptions = MatchOptions(rules: rules)) throws -> MatchOutcome {
        MatchEngine.match(try read(a, rules: options.rules), try read(b, rules: options.rules), options: options)
    }

    /// The repository root (for Fixtures/).
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// A file under Fixtures/.
    static func fixture(_ path: String) -> URL {
        repositoryRoot.appendingPathComponent("Fixtures").appendingPathComponent(path)
    }

    /// The header every small test file uses.
    static let header = "nom;prenom;email;telephone;raison_sociale;siret;source;date_collecte;consentement"

    /// One row in `header`'s layout.
    static func row(
        name: String = "Martin", email: String = "", phone: String = "", company: String = "", siret: String = "", source: String = "site web",
        collected: String = "01/10/2026", consent: String = "oui"
    ) -> String {
        [name, "Jean", email, phone, company, siret, source, collected, consent].joined(separator: ";")
    }

    /// A file of `rows` under `header`.
    static func file(_ rows: [String]) -> String {
        ([header] + rows).joined(separator: "\r\n") + "\r\n"
    }
}

extension ContactSet {
    /// The accepted rows' lines, for assertions.
    var lines: [Int] { rows.map { Int($0.line) } }

    /// Rejections by reason, leaving out a consumer's missing consents: what the reader tests check is the file's format.
    var formatRejectionCounts: [RejectionReason: Int] { rejectionCounts.filter { !$0.key.isMissingConsent } }

    /// The sampled rejections, leaving out a consumer's missing consents.
    var formatRejections: [RowRejection] { rejections.filter { !$0.reason.isMissingConsent } }
}
