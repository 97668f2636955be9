import ArgumentParser
import Foundation
import TrocClient
import TrocCore
import TrocCrypto

/// `troc deal …`: propose, upload, read the report, accept or decline, approve, release, download.
struct DealCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deal", abstract: "Prospect-file swaps between two firms.",
        subcommands: [
            Propose.self, List.self, Show.self, Upload.self, Attach.self, Report.self, Accept.self, Decline.self, Override.self, Approve.self,
            Reject.self, Release.self, Cancel.self, Download.self, Terms.self,
        ])

    struct Propose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "propose", abstract: "Propose a deal to another firm (partners); the sector verdict comes at once.")
        @OptionGroup var options: ClientOptions
        @Option(name: .customLong("with"), help: "The partner organisation's id (org_…).") var partner: String
        @Option(name: .customLong("price-per-1000"), help: "Price per 1,000 addresses in euros, such as 25.00.") var price: String
        @Option(help: "equal-count, quality-weighted or all.") var policy = "equal-count"

        func run() async throws {
            guard let cents = Self.cents(price) else { throw ValidationError("--price-per-1000 \(price): expected euros such as 25.00") }
            guard let policy = BalancingPolicy(rawValue: policy) else {
                throw ValidationError("--policy must be equal-count, quality-weighted or all")
            }
            let deal: Deal = try await options.withClient {
                try await $0.proposeDeal(NewDeal(partnerId: partner, pricePer1000Cents: cents, policy: policy))
            }
            options.print(deal) { DealText.render(deal) }
        }

        /// "25", "25.5", "25,50" → cents.
        static func cents(_ text: String) -> Int? {
            let parts = text.replacingOccurrences(of: ",", with: ".").split(separator: ".", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let euros = Int(parts[0]), euros >= 0 else { return nil }
            guard parts.count == 2 else { return euros * 100 }
            let fraction = String(parts[1])
            guard (1...2).contains(fraction.count), let value = Int(fraction) else { return nil }
            return euros * 100 + (fraction.count == 1 ? value * 10 : value)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List deals (partners: their own; operators: all).")
        /// Deals asked for per request.
        static let pageSize = 500
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let deals: [Deal] = try await options.withClient { client in
                // The server pages the list: ask page after page until one comes back short.
                var deals: [Deal] = []
                while true {
                    let page = try await client.deals(limit: Self.pageSize, after: deals.last?.id)
                    deals += page
                    if page.count < Self.pageSize { return deals }
                }
            }
            options.print(deals) {
                TextTable.render(
                    ["ID", "STATE", "PROPOSER", "PARTNER", "PRICE/1000", "POLICY", "VERDICT"],
                    deals.map {
                        [
                            $0.id, $0.state.rawValue, $0.proposer.name, $0.partner.name, EuroText.cents($0.pricePer1000Cents), $0.policy.rawValue,
                            $0.verdict.kind.rawValue,
                        ]
                    })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one deal.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id (del_…).") var dealID: String

        func run() async throws {
            let deal = try await options.withClient { try await $0.deal(dealID) }
            options.print(deal) { DealText.render(deal) }
        }
    }

    struct Upload: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "upload", abstract: "Encrypt your prospect file and upload it into the deal.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id (del_…).") var dealID: String
        @Argument(help: "The CSV file.") var file: String

        func run() async throws {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: file), let size = (attributes[.size] as? NSNumber)?.int64Value
            else {
                throw TrocExit(.badInput, "troc: \(file): no such file")
            }
            let deal: Deal = try await options.withClient { client in
                let me = try await client.me()
                let recipient = try await BrokerKeyPin.verifiedKey(client, profile: options.profile)
                let purpose = try EnvelopePurpose(TransferPurpose.dealUpload(dealID: dealID, organisationID: me.organisation.id))
                let progress = TransferProgress(label: "uploaded", total: size)
                let body = SealedFileStream(path: file, recipient: recipient, purpose: purpose) { progress.update($0) }
                let deal = try await client.uploadDealFile(
                    dealID: dealID, name: (file as NSString).lastPathComponent, body: body, length: EnvelopeLength.of(plaintextBytes: size))
                progress.finish(size)
                return deal
            }
            options.print(deal) { DealText.render(deal) }
        }
    }

    struct Attach: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "attach", abstract: "Attach a file you already uploaded (troc upload) to the deal.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id (del_…).") var dealID: String
        @Argument(help: "File id (fil_…).") var fileID: String

        func run() async throws {
            let deal = try await options.withClient { try await $0.attachFile(dealID: dealID, fileID: fileID) }
            options.print(deal) { DealText.render(deal) }
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report", abstract: "The match report: aggregated counts under differential privacy, small ones shown as < 50.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id (del_…).") var dealID: String

        func run() async throws {
            let view = try await options.withClient { try await $0.dealReport(dealID) }
            options.print(view) { DealText.render(view.report) }
        }
    }

    /// A decision posted to the deal with an optional reason.
    struct Decision {
        static func post(_ options: ClientOptions, dealID: String, action: DealAction, reason: String?) async throws {
            let deal = try await options.withClient { try await $0.decide(action, dealID: dealID, reason: reason) }
            options.print(deal) { DealText.render(deal) }
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "accept", abstract: "Accept the deal after reading its report (partners).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id.") var dealID: String
        func run() async throws { try await Decision.post(options, dealID: dealID, action: .accept, reason: nil) }
    }

    struct Decline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "decline", abstract: "Decline the deal (partners).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id.") var dealID: String
        @Option(help: "Why.") var reason: String?
        func run() async throws { try await Decision.post(options, dealID: dealID, action: .decline, reason: reason) }
    }

    struct Override: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "override", abstract: "Let a deal between unrelated sectors go on (operators), with the reason.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id.") var dealID: String
        @Option(help: "Why these sectors may trade.") var reason: String
        func run() async throws { try await Decision.post(options, dealID: dealID, action: .override, reason: reason) }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve an accepted deal (operators).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id.") var dealID: String
        @Option(help: "A note for the audit trail.") var reason: String?
        func run() async throws { try await Decision.post(options, dealID: dealID, action: .approve, reason: reason) }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reject", abstract: "Reject an accepted deal (operators), with the reason.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id.") var dealID: String
        @Option(help: "Why.") var reason: String
        func run() async throws { try await Decision.post(options, dealID: dealID, action: .reject, reason: reason) }
    }

    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "release", abstract: "Release an approved deal: deliveries and invoices (operators).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id.") var dealID: String
        func run() async throws { try await Decision.post(options, dealID: dealID, action: .release, reason: nil) }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Withdraw from a deal before release.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id.") var dealID: String
        @Option(help: "Why.") var reason: String?
        func run() async throws { try await Decision.post(options, dealID: dealID, action: .cancel, reason: reason) }
    }

    struct Download: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "download", abstract: "Download your delivery and decrypt it to CSV (partners).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Deal id.") var dealID: String
        @Option(name: [.short, .customLong("output")], help: "Where to write the CSV.") var output: String
        @Option(help: "Your private key (default: the one in your key directory whose fingerprint the broker names).") var key: String?

        func run() async throws {
            try await options.withClient { client in
                let me = try await client.me()
                let downloaded = try await EnvelopeDownload.run(
                    client, endpoint: Endpoint(.dealDelivery, dealID),
                    purpose: TransferPurpose.delivery(dealID: dealID, organisationID: me.organisation.id), output: output
                ) { fingerprint in try KeyLocation.find(organisationID: me.organisation.id, fingerprint: fingerprint, explicit: key) }
                options.print(["deal": dealID, "output": output, "bytes": String(downloaded.bytes), "keyFingerprint": downloaded.fingerprint ?? "-"])
                {
                    ""
                }
            }
        }
    }
}

/// Euros for people.
enum EuroText {
    static func cents(_ cents: Int) -> String { String(format: "%d,%02d €", cents / 100, cents % 100) }
}

/// Deals for people.
enum DealText {
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
