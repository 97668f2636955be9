import Foundation
import TrocCore

/// A deal's report as the console shows it: the figures table and the charts, built from exactly what the API gives the
/// reader (the partner view, noised, with small counts hidden; the engine's exact report for operators).
struct ConsoleReportView {
    let view: DealReportView
    let text: ConsoleText
    let format: ConsoleFormat
    /// The two sides' names, proposer first.
    let sides: [String]

    /// Template values: `rows` of the figures table, `charts`, and whether figures are exact.
    var templateValues: [String: Any?] {
        if let full = view.full { return exact(full) }
        return partner(view.report)
    }

    private func count(_ value: Int) -> String { format.integer(value) }

    private func shown(_ value: ShownCount) -> (Double?, String) {
        switch value {
        case .exact(let number): (Double(number), format.integer(number))
        case .fewerThanThreshold: (nil, text["report_hidden"])
        }
    }

    private func rate(_ value: ShownRate) -> String {
        switch value {
        case .percent(let percent): format.percent(percent / 100)
        case .hidden: text["report_hidden"]
        }
    }

    private func exact(_ report: MatchReport) -> [String: Any?] {
        let a = report.a
        let b = report.b
        func row(_ key: String, _ first: String, _ second: String) -> [String: Any?] { ["label": text[key], "a": first, "b": second] }
        let rows: [[String: Any?]] = [
            row("report_rows", count(a.rows), count(b.rows)),
            row("report_contacts", count(a.contacts), count(b.contacts)),
            row("report_duplicates", count(a.duplicates), count(b.duplicates)),
            row("report_valid_emails", count(a.validEmails), count(b.validEmails)),
            row("report_valid_phones", count(a.validPhones), count(b.validPhones)),
            row("report_b2b", count(a.b2b), count(b.b2b)),
            row("report_b2c", count(a.b2c), count(b.b2c)),
            row("report_consent", count(a.withConsent), count(b.withConsent)),
            row("report_refused", count(a.refusedConsent), count(b.refusedConsent)),
            row("report_stale", count(a.stale), count(b.stale)),
            row("report_undated", count(a.undated), count(b.undated)),
            row("report_without_source", count(a.withoutSource), count(b.withoutSource)),
            row("report_suppressed", count(a.suppressed), count(b.suppressed)),
            row("report_exchangeable", count(a.exchangeable), count(b.exchangeable)),
            row("report_held", count(report.overlap.contacts), count(report.overlap.bContactsHeldByA)),
            row("report_net_new", count(report.netNew.a), count(report.netNew.b)),
            row("report_delivers", count(report.delivery.toB), count(report.delivery.toA)),
            row("report_quality", format.decimal(a.qualityScore), format.decimal(b.qualityScore)),
        ]
        let overlap: [[String: Any?]] = [
            ["label": text["report_overlap_email"], "value": count(report.overlap.email)],
            ["label": text["report_overlap_phone"], "value": count(report.overlap.phone)],
            ["label": text["report_overlap_siret"], "value": count(report.overlap.siret)],
        ]
        func exactRow(_ key: String, _ first: Int, _ second: Int) -> BarChart.Row {
            BarChart.Row(label: text[key], values: [Double(first), Double(second)], shown: [count(first), count(second)])
        }
        let status = BarChart(
            id: "chart-status", title: text["chart_status_title"], description: text["chart_status_desc"], series: sides,
            rows: [
                exactRow("report_contacts", a.contacts, b.contacts), exactRow("report_exchangeable", a.exchangeable, b.exchangeable),
                exactRow("report_held", report.overlap.contacts, report.overlap.bContactsHeldByA),
                exactRow("report_net_new", report.netNew.a, report.netNew.b), exactRow("report_stale", a.stale, b.stale),
                exactRow("report_no_consent", a.contacts - a.withConsent, b.contacts - b.withConsent),
                exactRow("report_refused", a.refusedConsent, b.refusedConsent), exactRow("report_suppressed", a.suppressed, b.suppressed),
            ])
        let balancing = report.balancing
        func average(_ quality: Double, _ count: Int) -> Double { count == 0 ? 0 : quality / Double(count) }
        let qualities: [(String, Double, Double)] = [
            ("chart_quality_file", a.qualityScore, b.qualityScore),
            (
                "chart_quality_candidates", average(balancing.candidateQuality.a, balancing.candidates.a),
                average(balancing.candidateQuality.b, balancing.candidates.b)
            ),
            (
                "chart_quality_delivered", average(balancing.deliveredQuality.a, balancing.delivered.a),
                average(balancing.deliveredQuality.b, balancing.delivered.b)
            ),
        ]
        let quality = BarChart(
            id: "chart-quality", title: text["chart_quality_title"], description: text["chart_quality_desc"], series: sides,
            rows: qualities.map { key, first, second in
                BarChart.Row(label: text[key], values: [first, second], shown: [format.decimal(first), format.decimal(second)])
            })
        let before = BarChart(
            id: "chart-balancing", title: text["chart_balancing_title"], description: text["chart_balancing_desc"], series: sides,
            rows: [
                exactRow("chart_balancing_candidates", balancing.candidates.a, balancing.candidates.b),
                exactRow("chart_balancing_delivered", balancing.delivered.a, balancing.delivered.b),
            ])
        return [
            "exact": true, "rows": rows, "overlap": overlap, "charts": [status, quality, before].map(\.templateValues),
            "asOf": format.date(report.asOf), "policy": text["policy_" + report.policy.rawValue],
        ]
    }

    private func partner(_ report: DealReport) -> [String: Any?] {
        let a = report.a
        let b = report.b
        func row(_ key: String, _ first: ShownCount, _ second: ShownCount) -> [String: Any?] {
            ["label": text[key], "a": shown(first).1, "b": shown(second).1]
        }
        let rows: [[String: Any?]] = [
            row("report_contacts", a.contacts, b.contacts),
            row("report_valid_emails", a.validEmails, b.validEmails), row("report_valid_phones", a.validPhones, b.validPhones),
            row("report_b2b", a.b2b, b.b2b), row("report_b2c", a.b2c, b.b2c), row("report_consent", a.withConsent, b.withConsent),
            row("report_stale", a.stale, b.stale), row("report_exchangeable", a.exchangeable, b.exchangeable),
            ["label": text["report_exchangeable_rate"], "a": rate(a.exchangeableRate), "b": rate(b.exchangeableRate)],
            row("report_net_new", a.netNew, b.netNew),
            row("report_delivers", a.delivers, b.delivers),
            ["label": text["report_quality"], "a": format.decimal(a.qualityScore), "b": format.decimal(b.qualityScore)],
        ]
        let overlap: [[String: Any?]] = [
            ["label": text["report_overlap_email"], "value": shown(report.overlapEmails).1],
            ["label": text["report_overlap_phone"], "value": shown(report.overlapPhones).1],
            ["label": text["report_overlap_siret"], "value": shown(report.overlapSIRETs).1],
            ["label": text["report_held_by_partner"], "value": shown(report.overlapContacts).1],
        ]
        func chartRow(_ key: String, _ first: ShownCount, _ second: ShownCount) -> BarChart.Row {
            let (x, y) = (shown(first), shown(second))
            return BarChart.Row(label: text[key], values: [x.0, y.0], shown: [x.1, y.1])
        }
        let status = BarChart(
            id: "chart-status", title: text["chart_status_title"], description: text["chart_status_desc_partner"], series: sides,
            rows: [
                chartRow("report_contacts", a.contacts, b.contacts), chartRow("report_exchangeable", a.exchangeable, b.exchangeable),
                chartRow("report_net_new", a.netNew, b.netNew), chartRow("report_stale", a.stale, b.stale),
                chartRow("report_consent", a.withConsent, b.withConsent),
            ])
        func averageDelivered(_ side: DealSideReport) -> Double? {
            guard case .exact(let count) = side.delivers, count > 0 else { return nil }
            return side.deliveredQuality / Double(count)
        }
        let deliveredA = averageDelivered(a)
        let deliveredB = averageDelivered(b)
        let quality = BarChart(
            id: "chart-quality", title: text["chart_quality_title"], description: text["chart_quality_desc"], series: sides,
            rows: [
                BarChart.Row(
                    label: text["chart_quality_file"], values: [a.qualityScore, b.qualityScore],
                    shown: [format.decimal(a.qualityScore), format.decimal(b.qualityScore)]),
                BarChart.Row(
                    label: text["chart_quality_delivered"], values: [deliveredA, deliveredB],
                    shown: [
                        deliveredA.map { format.decimal($0) } ?? text["report_hidden"],
                        deliveredB.map { format.decimal($0) } ?? text["report_hidden"],
                    ]),
            ])
        let before = BarChart(
            id: "chart-balancing", title: text["chart_balancing_title"], description: text["chart_balancing_desc"], series: sides,
            rows: [chartRow("chart_balancing_candidates", a.netNew, b.netNew), chartRow("chart_balancing_delivered", a.delivers, b.delivers)])
        return [
            "exact": false, "partnerView": text.format("report_partner_view", format.decimal(report.epsilon, decimals: 1)), "rows": rows,
            "overlap": overlap, "charts": [status, quality, before].map(\.templateValues),
            "asOf": format.date(report.asOf), "policy": text["policy_" + report.policy.rawValue],
        ]
    }
}
