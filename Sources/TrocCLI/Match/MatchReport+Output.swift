import Foundation
import TrocCore

/// The JSON form of a report: stable key order so outputs diff cleanly.
enum MatchReportJSON {
    static func encode(_ report: MatchReport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain value types cannot fail.
        return String(decoding: try! encoder.encode(report), as: UTF8.self)
    }
}

/// The human form of a report: a side-by-side table, then overlap, balancing and the first rejections.
enum MatchReportText {
    static func render(_ report: MatchReport, names: (String, String)) -> String {
        let a = report.a
        let b = report.b
        var lines: [String] = []
        lines.append("Troc match — as of \(report.asOf.iso8601), retention \(report.retentionMonths) months, policy \(report.policy.rawValue)")
        lines.append("")
        let nameA = "A: " + (names.0 as NSString).lastPathComponent
        let nameB = "B: " + (names.1 as NSString).lastPathComponent
        var table: [(String, String, String)] = [("", nameA, nameB)]
        table.append(("read as", "\(a.encoding), \"\(a.delimiter)\"", "\(b.encoding), \"\(b.delimiter)\""))
        func row(_ label: String, _ value: (FileReport) -> Int) { table.append((label, group(value(a)), group(value(b)))) }
        row("rows") { $0.rows }
        row("rows rejected") { $0.rows - $0.contacts - $0.duplicates }
        row("duplicate rows merged") { $0.duplicates }
        row("contacts") { $0.contacts }
        row("  valid email") { $0.validEmails }
        row("  valid phone") { $0.validPhones }
        row("    mobile") { $0.phoneClasses["mobile", default: 0] }
        row("    landline") { $0.phoneClasses["landline", default: 0] }
        row("  B2B") { $0.b2b }
        row("  B2C") { $0.b2c }
        row("  with consent") { $0.withConsent }
        row("    to email") { $0.consentByChannel.email }
        row("    to phone") { $0.consentByChannel.phone }
        row("    to SMS") { $0.consentByChannel.sms }
        row("    covering partners") { $0.partnerConsent }
        row("    with proof") { $0.consentProof }
        row("  refused consent") { $0.refusedConsent }
        row("  stale (> retention)") { $0.stale }
        row("  undated") { $0.undated }
        row("  fresh by their own request") { $0.freshFromInboundContact }
        row("  no source") { $0.withoutSource }
        row("  suppressed") { $0.suppressed }
        row("exchangeable") { $0.exchangeable }
        row("  by email") { $0.exchangeableByChannel.email }
        row("  by phone") { $0.exchangeableByChannel.phone }
        row("  by SMS") { $0.exchangeableByChannel.sms }
        table.append(("quality score", String(format: "%.3f", a.qualityScore), String(format: "%.3f", b.qualityScore)))
        let widths = (table.map(\.0.count).max()!, table.map(\.1.count).max()!, table.map(\.2.count).max()!)
        for (label, left, right) in table {
            lines.append(pad(label, widths.0) + "  " + padLeft(left, widths.1) + "  " + padLeft(right, widths.2))
        }
        lines.append("")
        let overlap = report.overlap
        lines.append(
            "Overlap (keyed hashes): \(group(overlap.email)) emails, \(group(overlap.phone)) phones, \(group(overlap.siret)) SIRETs; "
                + "\(group(overlap.contacts)) of A's contacts are already held by B, \(group(overlap.bContactsHeldByA)) of B's by A.")
        lines.append("Net new: A has \(group(report.netNew.a)) exchangeable contacts B lacks; B has \(group(report.netNew.b)) that A lacks.")
        lines.append(
            "Delivery (\(report.policy.rawValue)): A receives \(group(report.delivery.toA)) contacts (quality \(String(format: "%.1f", report.delivery.qualityToA))), "
                + "B receives \(group(report.delivery.toB)) (quality \(String(format: "%.1f", report.delivery.qualityToB))).")
        for (name, file) in [(names.0, a), (names.1, b)] where !file.rejected.isEmpty || !file.notes.isEmpty {
            lines.append("")
            for note in file.notes { lines.append("\(name): \(note)") }
            guard !file.rejected.isEmpty else { continue }
            let reasons = file.rejected.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \(group($0.value))" }
            lines.append("\(name): rejected \(reasons.joined(separator: ", "))")
            for rejection in file.rejections.prefix(10) { lines.append("  \(rejection.message)") }
            if file.rejections.count > 10 { lines.append("  … (--json lists the first \(file.rejections.count))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// 1234567 → "1 234 567", as French readers group digits.
    static func group(_ value: Int) -> String {
        let digits = String(abs(value))
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(" ") }
            result.append(character)
        }
        return value < 0 ? "-" + result : result
    }

    private static func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
    private static func padLeft(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
}
