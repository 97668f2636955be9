/// Dedupe within each file, overlap between them, the exchangeable filter, quality and balancing
/// (docs/RULES.md "Privacy-preserving overlap and dedupe", "Quality and compliance", "Balancing").
/// Everything works on keyed hashes and row facts: no clear value reaches this code.
public enum MatchEngine {
    /// Matches two parsed files.
    public static func match(_ a: ContactSet, _ b: ContactSet, options: MatchOptions) -> MatchOutcome {
        let files = [a, b]
        let deduped = Parallel.map(2) { FileContacts(files[$0]) }
        // Per kind: overlap between the files, and each file against the suppression list.
        let joins = PerKeyKind.concurrently { kind in
            KindJoin(kind: kind, a: files[0], b: files[1], contacts: deduped, suppression: options.suppression.keys[kind])
        }
        let heldByB = joins.all.reduce(into: Bits(deduped[0].count)) { $0.formUnion($1.heldA) }
        let heldByA = joins.all.reduce(into: Bits(deduped[1].count)) { $0.formUnion($1.heldB) }
        let suppressedA = joins.all.reduce(into: deduped[0].listed) { $0.formUnion($1.suppressedA) }
        let suppressedB = joins.all.reduce(into: deduped[1].listed) { $0.formUnion($1.suppressedB) }

        // Each side judged on its own core: its candidates, its part of the report, and what it would hold without
        // the suppression list (its owner can compute that, so a minimum on it says nothing about who is on the list).
        let held = [heldByB, heldByA]
        let suppressed = [suppressedA, suppressedB]
        let recipientAcceptsConsumers = [options.bAcceptsConsumers, options.aAcceptsConsumers]
        let rules = options.rules
        let sides = Parallel.map(2) { side in
            let judge = Judge(
                file: files[side], contacts: deduped[side], suppressed: suppressed[side], rules: rules,
                recipientAcceptsConsumers: recipientAcceptsConsumers[side])
            let unsuppressed = Judge(
                file: files[side], contacts: deduped[side], suppressed: Bits(deduped[side].count), rules: rules,
                recipientAcceptsConsumers: recipientAcceptsConsumers[side])
            return JudgedSide(
                candidates: judge.candidates(notHeldBy: held[side]), report: judge.report(),
                unsuppressedExchangeable: unsuppressed.exchangeableCount())
        }
        let (candidatesA, candidatesB) = (sides[0].candidates, sides[1].candidates)
        let (toB, toA) = Balancer.balance(candidatesA, candidatesB, policy: options.policy)

        let overlap = OverlapReport(
            contacts: heldByB.count, email: joins[.email].overlap, phone: joins[.phone].overlap, siret: joins[.siret].overlap,
            bContactsHeldByA: heldByA.count)
        let report = MatchReport(
            a: sides[0].report, b: sides[1].report, overlap: overlap,
            netNew: SidePair(a: candidatesA.count, b: candidatesB.count),
            delivery: DeliveryReport(toA: toA.count, toB: toB.count, qualityToA: Balancer.quality(toA), qualityToB: Balancer.quality(toB)),
            policy: options.policy, asOf: options.rules.asOf, retentionMonths: options.rules.retentionMonths,
            balancing: BalancingReport(
                candidates: SidePair(a: candidatesA.count, b: candidatesB.count),
                candidateQuality: SidePair(a: Balancer.quality(candidatesA), b: Balancer.quality(candidatesB)),
                delivered: SidePair(a: toB.count, b: toA.count),
                deliveredQuality: SidePair(a: Balancer.quality(toB), b: Balancer.quality(toA))))
        let unsuppressed = SidePair(a: sides[0].unsuppressedExchangeable, b: sides[1].unsuppressedExchangeable)
        return MatchOutcome(report: report, toB: toB.map(\.delivered), toA: toA.map(\.delivered), unsuppressedExchangeable: unsuppressed)
    }
}

/// One side of a match once judged.
private struct JudgedSide: Sendable {
    let candidates: [Candidate]
    let report: FileReport
    let unsuppressedExchangeable: Int
}

extension MatchEngine {
    /// The report of one file on its own (the ingestion report of an upload): dedupe, compliance
    /// and quality as a match would judge them, with the suppression list applied and no other side.
    public static func fileReport(_ file: ContactSet, rules: ExchangeRules, suppression: SuppressionList = .empty) -> FileReport {
        fileReports(file, rules: rules, suppression: suppression).report
    }

    /// The report of one file with the suppression list applied, and the same without it (what the uploading firm
    /// may see), deduplicating the file once for both.
    public static func fileReports(
        _ file: ContactSet, rules: ExchangeRules, suppression: SuppressionList
    ) -> (report: FileReport, unsuppressed: FileReport) {
        let contacts = FileContacts(file)
        var suppressed = contacts.listed
        for kind in MatchKeyKind.allCases {
            KindJoin.merge(file.keys[kind], suppression.keys[kind]) { row, _ in
                suppressed[Int(contacts.contactOfRow[Int(row)])] = true
            }
        }
        let judge = { (suppressed: Bits) in
            Judge(file: file, contacts: contacts, suppressed: suppressed, rules: rules, recipientAcceptsConsumers: true).report()
        }
        return (judge(suppressed), judge(Bits(contacts.count)))
    }
}
