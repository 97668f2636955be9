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
        // Counted by raw value, named once at the end: a dictionary keyed by name would hash a string per contact.
        var phoneClassCounts = [Int](repeating: 0, count: Int(UInt8.max) + 1)
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
                phoneClassCounts[Int(row.phoneClass)] += 1
            }
            if flags.contains(.business) { b2b += 1 }
            if contacts.refused[contact] {
                refused += 1
            } else {
                if flags.contains(.consentGiven) { withConsent += 1 }
                if flags.contains(.emailReachable), !objections.email[contact] { consentByChannel.email += 1 }
                if flags.contains(.phoneReachable), !objections.phone[contact] { consentByChannel.phone += 1 }
                if flags.contains(.smsReachable), !objections.sms[contact] { consentByChannel.sms += 1 }
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
        var phoneClasses: [String: Int] = [:]
        for phoneClass in PhoneClass.allCases where phoneClassCounts[Int(phoneClass.rawValue)] > 0 {
            phoneClasses[phoneClass.name] = phoneClassCounts[Int(phoneClass.rawValue)]
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
