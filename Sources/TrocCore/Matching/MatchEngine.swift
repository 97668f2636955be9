/// The broker's suppression list (opt-outs, erasures, opposition lists) as keyed hashes.
public struct SuppressionList: Sendable {
    let keys: [[KeyEntry]]

    /// An empty list.
    public static let empty = SuppressionList(entries: [])

    /// A list of keys, each of one kind (hashed with the same hasher as the files).
    public init(entries: [(MatchKeyKind, MatchKey)]) {
        var keys: [[KeyEntry]] = [[], [], []]
        for (kind, key) in entries { keys[kind.rawValue].append(KeyEntry(key, row: 0)) }
        self.keys = keys.map { $0.sorted { $0.keyPrecedes($1) } }
    }

    /// Number of entries.
    public var count: Int { keys.reduce(0) { $0 + $1.count } }
}

/// What a match needs beyond the two files.
public struct MatchOptions: Sendable {
    public var rules: ExchangeRules
    public var policy: BalancingPolicy
    public var suppression: SuppressionList
    /// Whether A's sector may receive consumer (B2C) contacts; false for energy renovation and home adaptation.
    public var aAcceptsConsumers: Bool
    /// Whether B's sector may receive consumer contacts.
    public var bAcceptsConsumers: Bool

    /// Options with the default policy, no suppression and both sides accepting consumer contacts.
    public init(
        rules: ExchangeRules, policy: BalancingPolicy = .equalCount, suppression: SuppressionList = .empty, aAcceptsConsumers: Bool = true,
        bAcceptsConsumers: Bool = true
    ) {
        self.rules = rules
        self.policy = policy
        self.suppression = suppression
        self.aAcceptsConsumers = aAcceptsConsumers
        self.bAcceptsConsumers = bAcceptsConsumers
    }
}

/// Dedupe within each file, overlap between them, the exchangeable filter, quality and balancing
/// (DOMAIN.md "Privacy-preserving overlap and dedupe", "Quality and compliance", "Balancing").
/// Everything works on keyed hashes and row facts: no clear value reaches this code.
public enum MatchEngine {
    /// Matches two parsed files.
    public static func match(_ a: ContactSet, _ b: ContactSet, options: MatchOptions) -> MatchOutcome {
        let files = [a, b]
        let deduped = Parallel.map(2) { FileContacts(files[$0]) }
        // Per kind: overlap between the files, and each file against the suppression list.
        let joins = Parallel.map(3) { kind in
            KindJoin(kind: kind, a: files[0], b: files[1], contacts: deduped, suppression: options.suppression.keys[kind])
        }
        let heldByB = joins.reduce(into: Bits(deduped[0].count)) { $0.formUnion($1.heldA) }
        let heldByA = joins.reduce(into: Bits(deduped[1].count)) { $0.formUnion($1.heldB) }
        let suppressedA = joins.reduce(into: deduped[0].listed) { $0.formUnion($1.suppressedA) }
        let suppressedB = joins.reduce(into: deduped[1].listed) { $0.formUnion($1.suppressedB) }

        let judgeA = Judge(
            file: a, contacts: deduped[0], suppressed: suppressedA, rules: options.rules, recipientAcceptsConsumers: options.bAcceptsConsumers)
        let judgeB = Judge(
            file: b, contacts: deduped[1], suppressed: suppressedB, rules: options.rules, recipientAcceptsConsumers: options.aAcceptsConsumers)
        let candidatesA = judgeA.candidates(notHeldBy: heldByB)
        let candidatesB = judgeB.candidates(notHeldBy: heldByA)
        let (toB, toA) = Balancer.balance(candidatesA, candidatesB, policy: options.policy)

        let overlap = OverlapReport(
            contacts: heldByB.count, email: joins[0].overlap, phone: joins[1].overlap, siret: joins[2].overlap, bContactsHeldByA: heldByA.count)
        let report = MatchReport(
            a: judgeA.report(), b: judgeB.report(), overlap: overlap,
            netNew: SidePair(a: candidatesA.count, b: candidatesB.count),
            delivery: DeliveryReport(toA: toA.count, toB: toB.count, qualityToA: Balancer.quality(toA), qualityToB: Balancer.quality(toB)),
            policy: options.policy, asOf: options.rules.asOf, retentionMonths: options.rules.retentionMonths,
            balancing: BalancingReport(
                candidates: SidePair(a: candidatesA.count, b: candidatesB.count),
                candidateQuality: SidePair(a: Balancer.quality(candidatesA), b: Balancer.quality(candidatesB)),
                delivered: SidePair(a: toB.count, b: toA.count),
                deliveredQuality: SidePair(a: Balancer.quality(toB), b: Balancer.quality(toA))))
        // What each file would hold without the suppression list: its owner can compute it, so a minimum on it says
        // nothing about who is on the list.
        let unsuppressed = SidePair(
            a: Judge(
                file: a, contacts: deduped[0], suppressed: Bits(deduped[0].count), rules: options.rules,
                recipientAcceptsConsumers: options.bAcceptsConsumers
            )
            .exchangeableCount(),
            b: Judge(
                file: b, contacts: deduped[1], suppressed: Bits(deduped[1].count), rules: options.rules,
                recipientAcceptsConsumers: options.aAcceptsConsumers
            )
            .exchangeableCount())
        return MatchOutcome(report: report, toB: toB.map(\.delivered), toA: toA.map(\.delivered), unsuppressedExchangeable: unsuppressed)
    }
}

/// A file's rows grouped into contacts: rows sharing any key are one contact, represented by its
/// most complete, then most recent, then earliest row. An objection on any of its rows wins (the
/// person said no), for prospecting altogether or for one channel; consents are the representative
/// row's, so that the delivered row shows the consent that justifies each channel it carries.
struct FileContacts: Sendable {
    /// The representative row of each contact, in file order.
    let representatives: [UInt32]
    /// The contact each row belongs to.
    let contactOfRow: [UInt32]
    /// Contacts with an objection to prospecting on any of their rows.
    let refused: Bits
    /// Refusals of one channel, or of transfer to partners, on any of a contact's rows.
    let objections: ChannelObjections
    /// Contacts with a row found on the suppression list while the file was read.
    let listed: Bits

    var count: Int { representatives.count }

    init(_ file: ContactSet) {
        let rowCount = file.rows.count
        var parent = [UInt32](unsafeUninitializedCapacity: rowCount) { buffer, initialized in
            for index in 0..<rowCount { buffer[index] = UInt32(index) }
            initialized = rowCount
        }
        parent.withUnsafeMutableBufferPointer { parent in
            func find(_ row: UInt32) -> UInt32 {
                var node = row
                while parent[Int(node)] != node {
                    let grand = parent[Int(parent[Int(node)])]
                    parent[Int(node)] = grand
                    node = grand
                }
                return node
            }
            for keys in file.keys {
                var index = 0
                while index < keys.count {
                    var end = index + 1
                    while end < keys.count, keys[end].sameKey(as: keys[index]) { end += 1 }
                    if end - index > 1 {
                        var root = find(keys[index].row)
                        for other in (index + 1)..<end {
                            let otherRoot = find(keys[other].row)
                            guard otherRoot != root else { continue }
                            // The smaller row index stays root, so roots are stable and in file order.
                            if otherRoot < root {
                                parent[Int(root)] = otherRoot
                                root = otherRoot
                            } else {
                                parent[Int(otherRoot)] = root
                            }
                        }
                    }
                    index = end
                }
            }
            for row in 0..<rowCount { parent[row] = find(UInt32(row)) }
        }

        var best = [UInt32](repeating: UInt32.max, count: rowCount)
        file.rows.withUnsafeBufferPointer { rows in
            for row in 0..<rowCount {
                let root = Int(parent[row])
                let current = best[root]
                if current == UInt32.max || FileContacts.isBetter(rows[row], than: rows[Int(current)]) { best[root] = UInt32(row) }
            }
        }
        var representatives: [UInt32] = []
        var contactOfRoot = best
        for row in 0..<rowCount where parent[row] == UInt32(row) {
            contactOfRoot[row] = UInt32(representatives.count)
            representatives.append(best[row])
        }
        let contactOfRow = parent.map { contactOfRoot[Int($0)] }
        var refused = Bits(representatives.count)
        var objections = ChannelObjections(representatives.count)
        var listed = Bits(representatives.count)
        for (row, facts) in file.rows.enumerated() {
            let contact = Int(contactOfRow[row])
            if facts.flags.contains(.consentRefused) { refused[contact] = true }
            if facts.flags.contains(.suppressed) { listed[contact] = true }
            objections.record(facts.flags, contact: contact)
        }
        self.representatives = representatives
        self.contactOfRow = contactOfRow
        self.refused = refused
        self.objections = objections
        self.listed = listed
    }

    /// DOMAIN.md: keep the most complete and most recent row; the earlier line breaks ties.
    static func isBetter(_ row: ContactRow, than other: ContactRow) -> Bool {
        if row.completeness != other.completeness { return row.completeness > other.completeness }
        if row.freshestDay != other.freshestDay { return row.freshestDay > other.freshestDay }
        return row.line < other.line
    }
}

/// The contacts that refused each channel, or transfer to partners, on any of their rows.
struct ChannelObjections: Sendable {
    var email: Bits
    var phone: Bits
    var sms: Bits
    var partners: Bits

    init(_ count: Int) {
        email = Bits(count)
        phone = Bits(count)
        sms = Bits(count)
        partners = Bits(count)
    }

    /// Adds a row's refusals to its contact's.
    mutating func record(_ flags: ContactRowFlags, contact: Int) {
        if flags.contains(.emailRefused) { email[contact] = true }
        if flags.contains(.phoneRefused) { phone[contact] = true }
        if flags.contains(.smsRefused) { sms[contact] = true }
        if flags.contains(.partnerRefused) { partners[contact] = true }
    }
}

/// A fixed-size bit set over contacts.
struct Bits: Sendable {
    private var words: [UInt64]

    init(_ count: Int) { words = [UInt64](repeating: 0, count: (count + 63) / 64) }

    subscript(index: Int) -> Bool {
        get { words[index >> 6] & (1 << UInt64(index & 63)) != 0 }
        set {
            if newValue { words[index >> 6] |= 1 << UInt64(index & 63) } else { words[index >> 6] &= ~(1 << UInt64(index & 63)) }
        }
    }

    mutating func formUnion(_ other: Bits) {
        for index in words.indices { words[index] |= other.words[index] }
    }

    var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }
}

/// One kind of key compared across the two files and against the suppression list, by merging sorted arrays.
struct KindJoin: Sendable {
    /// Distinct keys present in both files.
    var overlap = 0
    var heldA: Bits
    var heldB: Bits
    var suppressedA: Bits
    var suppressedB: Bits

    init(kind: Int, a: ContactSet, b: ContactSet, contacts: [FileContacts], suppression: [KeyEntry]) {
        heldA = Bits(contacts[0].count)
        heldB = Bits(contacts[1].count)
        suppressedA = Bits(contacts[0].count)
        suppressedB = Bits(contacts[1].count)
        overlap = KindJoin.merge(a.keys[kind], b.keys[kind]) { rowA, rowB in
            heldA[Int(contacts[0].contactOfRow[Int(rowA)])] = true
            heldB[Int(contacts[1].contactOfRow[Int(rowB)])] = true
        }
        KindJoin.merge(a.keys[kind], suppression) { row, _ in suppressedA[Int(contacts[0].contactOfRow[Int(row)])] = true }
        KindJoin.merge(b.keys[kind], suppression) { row, _ in suppressedB[Int(contacts[1].contactOfRow[Int(row)])] = true }
    }

    /// Walks two key-sorted arrays; for each key in both, calls `matched` for every pair of rows
    /// of the two runs' first rows and every row of each run. Returns the number of distinct shared keys.
    @discardableResult
    static func merge(_ left: [KeyEntry], _ right: [KeyEntry], matched: (UInt32, UInt32) -> Void) -> Int {
        var shared = 0
        var i = 0
        var j = 0
        while i < left.count, j < right.count {
            if left[i].keyPrecedes(right[j]) {
                i += 1
            } else if right[j].keyPrecedes(left[i]) {
                j += 1
            } else {
                shared += 1
                var iEnd = i + 1
                while iEnd < left.count, left[iEnd].sameKey(as: left[i]) { iEnd += 1 }
                var jEnd = j + 1
                while jEnd < right.count, right[jEnd].sameKey(as: right[j]) { jEnd += 1 }
                for index in i..<iEnd { matched(left[index].row, right[j].row) }
                for index in j..<jEnd { matched(left[i].row, right[index].row) }
                i = iEnd
                j = jEnd
            }
        }
        return shared
    }
}

/// A contact that may be delivered, with what balancing sorts it by.
struct Candidate: Sendable {
    var delivered: DeliveredContact
    var quality: UInt16
    var freshestDay: Int32
}

/// Applies the compliance rules to one file's contacts and counts what the report shows.
struct Judge {
    let file: ContactSet
    let contacts: FileContacts
    let suppressed: Bits
    let rules: ExchangeRules
    let recipientAcceptsConsumers: Bool

    /// What of a contact may go to the other side, or nil if it is not exchangeable.
    ///
    /// A business contact may be passed on by every valid channel it has not refused (opt-out basis,
    /// CPCE L34-5 and the CNIL); a consumer only by the channels it consented to, each consent
    /// covering transfer to partners, its phone only with a dated phone-specific consent since
    /// 11 August 2026 (loi 2025-594), and never to a trade that may not canvass consumers.
    func delivery(_ contact: Int) -> DeliveredContact? {
        let row = file.rows[Int(contacts.representatives[contact])]
        let flags = row.flags
        let objections = contacts.objections
        guard !contacts.refused[contact], !objections.partners[contact], flags.contains(.hasSource), flags.contains(.fresh), !suppressed[contact]
        else { return nil }
        var email = flags.contains(.validEmail) && !objections.email[contact]
        var phone = flags.contains(.validPhone) && !objections.phone[contact]
        var sms = flags.contains(.mobilePhone) && !objections.sms[contact]
        let business = flags.contains(.business)
        if !business {
            guard recipientAcceptsConsumers else { return nil }
            let partners = flags.contains(.partnerConsent)
            email = email && flags.contains(.emailConsent) && partners
            if rules.consumerPhoneNeedsConsent { phone = phone && flags.contains(.phoneConsent) && flags.contains(.phoneConsentDated) && partners }
            sms = sms && flags.contains(.smsConsent) && partners
        }
        guard email || phone || sms else { return nil }
        var consents: RecordedConsents = []
        if email && flags.contains(.emailConsent) { consents.insert(.email) }
        if phone && flags.contains(.phoneConsent) { consents.insert(.phone) }
        if sms && flags.contains(.smsConsent) { consents.insert(.sms) }
        if flags.contains(.partnerConsent) { consents.insert(.partners) }
        return DeliveredContact(line: row.line, email: email, phone: phone, sms: sms, business: business, consents: consents)
    }

    /// How many contacts are exchangeable.
    func exchangeableCount() -> Int {
        (0..<contacts.count).reduce(0) { $0 + (delivery($1) == nil ? 0 : 1) }
    }

    /// Exchangeable contacts the other side does not hold, in line order.
    func candidates(notHeldBy held: Bits) -> [Candidate] {
        var result: [Candidate] = []
        for contact in 0..<contacts.count where !held[contact] {
            guard let delivered = delivery(contact) else { continue }
            let row = file.rows[Int(contacts.representatives[contact])]
            result.append(Candidate(delivered: delivered, quality: row.quality, freshestDay: row.freshestDay))
        }
        // Representatives follow their groups' first rows; a later duplicate may represent, so restore line order.
        if !result.isSorted(by: { $0.delivered.line < $1.delivered.line }) { result.sort { $0.delivered.line < $1.delivered.line } }
        return result
    }

    /// The file's part of the report.
    func report() -> FileReport {
        var validEmails = 0
        var validPhones = 0
        var phoneClasses: [String: Int] = [:]
        var b2b = 0
        var withConsent = 0
        var refused = 0
        var consentByChannel = ChannelCounts(email: 0, phone: 0, sms: 0)
        var partnerConsent = 0
        var consentProof = 0
        var stale = 0
        var undated = 0
        var freshFromInbound = 0
        var withoutSource = 0
        var exchangeable = 0
        var exchangeableByChannel = ChannelCounts(email: 0, phone: 0, sms: 0)
        var qualitySum = 0
        let objections = contacts.objections
        for contact in 0..<contacts.count {
            let row = file.rows[Int(contacts.representatives[contact])]
            let flags = row.flags
            if flags.contains(.validEmail) { validEmails += 1 }
            if flags.contains(.validPhone) {
                validPhones += 1
                if let phoneClass = PhoneClass(rawValue: row.phoneClass) { phoneClasses[phoneClass.name, default: 0] += 1 }
            }
            if flags.contains(.business) { b2b += 1 }
            if contacts.refused[contact] {
                refused += 1
            } else {
                if flags.contains(.consentGiven) { withConsent += 1 }
                if flags.contains([.emailConsent, .validEmail]), !objections.email[contact] { consentByChannel.email += 1 }
                if flags.contains([.phoneConsent, .validPhone]), !objections.phone[contact] { consentByChannel.phone += 1 }
                if flags.contains([.smsConsent, .mobilePhone]), !objections.sms[contact] { consentByChannel.sms += 1 }
                if flags.contains(.partnerConsent), !objections.partners[contact] { partnerConsent += 1 }
            }
            if flags.contains(.consentProof) { consentProof += 1 }
            if !flags.contains(.dated) {
                undated += 1
            } else if !flags.contains(.fresh) {
                stale += 1
            } else if flags.contains(.freshFromInbound) {
                freshFromInbound += 1
            }
            if !flags.contains(.hasSource) { withoutSource += 1 }
            if let delivered = delivery(contact) {
                exchangeable += 1
                qualitySum += Int(row.quality)
                if delivered.email { exchangeableByChannel.email += 1 }
                if delivered.phone { exchangeableByChannel.phone += 1 }
                if delivered.sms { exchangeableByChannel.sms += 1 }
            }
        }
        let layout = file.layout
        var columns: [String: String] = [:]
        for (index, field) in layout.fields.enumerated() {
            if let field { columns[field.rawValue] = layout.headers[index] }
        }
        return FileReport(
            rows: file.records, contacts: contacts.count, duplicates: file.rows.count - contacts.count, validEmails: validEmails,
            validPhones: validPhones, phoneClasses: phoneClasses, b2b: b2b, b2c: contacts.count - b2b, withConsent: withConsent,
            refusedConsent: refused, consentByChannel: consentByChannel, partnerConsent: partnerConsent, consentProof: consentProof,
            stale: stale, undated: undated, freshFromInboundContact: freshFromInbound, withoutSource: withoutSource,
            suppressed: suppressed.count, exchangeable: exchangeable, exchangeableByChannel: exchangeableByChannel,
            qualityScore: contacts.count == 0 ? 0 : Balancer.rounded(Double(qualitySum) / 10_000 / Double(contacts.count)),
            rejected: Dictionary(uniqueKeysWithValues: file.rejectionCounts.map { ($0.key.rawValue, $0.value) }),
            encoding: layout.encoding.rawValue, delimiter: layout.delimiterName, columns: columns, ignoredColumns: layout.ignoredHeaders,
            notes: layout.consentNotes, rejections: file.rejections)
    }
}

/// The three balancing policies of DOMAIN.md "Balancing".
enum Balancer {
    /// Chooses what A gives B (`fromA`) and B gives A (`fromB`); both inputs and outputs are in line order.
    static func balance(_ fromA: [Candidate], _ fromB: [Candidate], policy: BalancingPolicy) -> (toB: [Candidate], toA: [Candidate]) {
        switch policy {
        case .all:
            return (fromA, fromB)
        case .equalCount:
            let count = min(fromA.count, fromB.count)
            return (best(fromA, count: count), best(fromB, count: count))
        case .qualityWeighted:
            let target = min(fromA.reduce(0) { $0 + Int($1.quality) }, fromB.reduce(0) { $0 + Int($1.quality) })
            return (best(fromA, qualityUpTo: target), best(fromB, qualityUpTo: target))
        }
    }

    /// The `count` best candidates (quality, then freshness, then file order), in line order.
    ///
    /// A histogram of the scores finds the threshold quality in one pass; only the candidates tied at
    /// the threshold are sorted, so selection stays linear.
    static func best(_ candidates: [Candidate], count: Int) -> [Candidate] {
        guard count < candidates.count else { return candidates }
        var histogram = [Int](repeating: 0, count: 10_001)
        for candidate in candidates { histogram[Int(candidate.quality)] += 1 }
        var remaining = count
        var threshold = 10_000
        while threshold > 0, histogram[threshold] <= remaining {
            remaining -= histogram[threshold]
            threshold -= 1
        }
        return select(candidates, above: threshold, tiesToTake: remaining)
    }

    /// The longest best-first run of candidates whose summed quality does not exceed `target`, in line order.
    static func best(_ candidates: [Candidate], qualityUpTo target: Int) -> [Candidate] {
        var histogram = [Int](repeating: 0, count: 10_001)
        for candidate in candidates { histogram[Int(candidate.quality)] += 1 }
        var sum = 0
        var threshold = 10_000
        while threshold >= 0 {
            let group = histogram[threshold] * threshold
            guard sum + group <= target else {
                return select(candidates, above: threshold, tiesToTake: (target - sum) / threshold)
            }
            sum += group
            threshold -= 1
        }
        return candidates
    }

    /// Every candidate above `threshold`, plus the `tiesToTake` freshest (then earliest) at it, in line order.
    private static func select(_ candidates: [Candidate], above threshold: Int, tiesToTake: Int) -> [Candidate] {
        let ties = candidates.indices.filter { Int(candidates[$0].quality) == threshold }
            .sorted { (candidates[$1].freshestDay, $0) < (candidates[$0].freshestDay, $1) }
        var chosen = [Bool](repeating: false, count: candidates.count)
        for index in ties.prefix(tiesToTake) { chosen[index] = true }
        return candidates.indices.compactMap { Int(candidates[$0].quality) > threshold || chosen[$0] ? candidates[$0] : nil }
    }

    /// Summed quality in [0, 1] units, rounded to 4 decimals.
    static func quality(_ candidates: [Candidate]) -> Double {
        rounded(Double(candidates.reduce(0) { $0 + Int($1.quality) }) / 10_000)
    }

    static func rounded(_ value: Double) -> Double {
        (value * 10_000).rounded() / 10_000
    }
}

extension Array {
    /// Whether the elements are in increasing order by `areInIncreasingOrder`.
    func isSorted(by areInIncreasingOrder: (Element, Element) -> Bool) -> Bool {
        indices.dropFirst().allSatisfy { !areInIncreasingOrder(self[$0], self[$0 - 1]) }
    }
}

extension SuppressionList {
    /// The kind and canonical form of one suppression value: an email, a phone or a 14-digit SIRET.
    ///
    /// Nine bare digits are a SIREN, which names a company rather than a contact, so they are refused
    /// rather than read as a phone that lost its leading 0.
    public static func canonical(_ value: String) -> Result<(MatchKeyKind, String), RejectionReason>? {
        let text = value.trimmingSpaces
        guard !text.isEmpty else { return nil }
        if text.contains("@") {
            return EmailNormaliser.normalise(text).map { $0.map { (.email, $0.matchKey) } }
        }
        switch CompanyIdentifier.parse(text) {
        case .success(.siret(let siret)): return .success((.siret, siret))
        case .success(.siren): return .failure(.siretSirenOnly)
        case .failure: break
        }
        if !text.hasPrefix("+") && !text.hasPrefix("0") && text.filter(\.isNumber).count == 9 { return .failure(.siretSirenOnly) }
        return PhoneNormaliser.normalise(text).map { $0.map { (.phone, $0.e164) } }
    }
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
            KindJoin.merge(file.keys[kind.rawValue], suppression.keys[kind.rawValue]) { row, _ in
                suppressed[Int(contacts.contactOfRow[Int(row)])] = true
            }
        }
        let judge = { (suppressed: Bits) in
            Judge(file: file, contacts: contacts, suppressed: suppressed, rules: rules, recipientAcceptsConsumers: true).report()
        }
        return (judge(suppressed), judge(Bits(contacts.count)))
    }
}
