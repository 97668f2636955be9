import Foundation
import TrocCore

/// Deals for people.
enum DealText {
    /// The deal's state, parties, verdict, price, files and delivery, one fact a line.
    static func render(_ deal: Deal) -> String {
        var lines = [
            "\(deal.id): \(deal.state.rawValue)",
            "  \(deal.proposer.name) (\(deal.proposer.nafCode)) ↔ \(deal.partner.name) (\(deal.partner.nafCode))",
            "  sector verdict: \(deal.verdict.kind.rawValue): \(deal.verdict.reason)",
            "  price \(EuroText.cents(deal.pricePer1000Cents)) per 1,000 addresses, policy \(deal.policy.rawValue)",
            "  files: proposer \(deal.proposer.fileAttached ? "in" : "awaited"), partner \(deal.partner.fileAttached ? "in" : "awaited")"
                + (deal.reportReady ? "; report ready (troc deal report \(deal.id))" : ""),
        ]
        if let reason = deal.overrideReason { lines.append("  override: \(reason)") }
        if let hold = deal.hold { lines.append("  no match: \(hold.detail)") }
        if let delivery = deal.delivery {
            lines.append(
                "  your delivery: \(delivery.rows) contacts, \(delivery.downloadsRemaining) downloads left until \(TextTable.date(delivery.expiresAt))"
                    + ", sealed to your firm's key \(delivery.keyFingerprint ?? "registered at your first download")"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The match report: both sides' counts side by side, then the overlap and the noise it carries.
    static func render(_ report: DealReport) -> String {
        let rows: [(String, (DealSideReport) -> String)] = [
            ("contacts", { $0.contacts.description }), ("valid emails", { $0.validEmails.description }),
            ("valid phones", { $0.validPhones.description }), ("B2B", { $0.b2b.description }), ("B2C", { $0.b2c.description }),
            ("with opt-in", { $0.withConsent.description }), ("stale", { $0.stale.description }),
            ("exchangeable", { "\($0.exchangeable) (\($0.exchangeableRate))" }), ("quality score", { String(format: "%.2f", $0.qualityScore) }),
            ("net new for the other side", { $0.netNew.description }), ("delivers", { "\($0.delivers) (quality \($0.deliveredQuality))" }),
        ]
        let table = TextTable.render(["", "PROPOSER", "PARTNER"], rows.map { [$0.0, $0.1(report.a), $0.1(report.b)] })
        return table
            + "overlap: \(report.overlapEmails) emails, \(report.overlapPhones) phones, \(report.overlapSIRETs) SIRETs; "
            + "\(report.overlapContacts) of the proposer's contacts are already held by the partner\npolicy \(report.policy.rawValue), as of \(report.asOf)\n"
            + "every figure carries random noise (differential privacy, ε = \(report.epsilon) per side) so that no one contact shows; "
            + "counts under 50 read < 50\n"
    }
}
