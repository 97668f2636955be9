/// What parsing one block yields: compact rows, their keyed hashes, and what was rejected.
struct ParsedBlock: Sendable {
    /// The block's position in its file.
    var sequence: Int
    /// Accepted rows, in file order.
    var rows: [ContactRow] = []
    /// Email, phone and SIRET keys, each kind in row order; the rows' flags say which rows they belong to
    /// (`ContactRowFlags.keyCount`).
    var emailKeys: [BlockKey] = []
    var phoneKeys: [BlockKey] = []
    var siretKeys: [BlockKey] = []

    /// The keys of one kind.
    func keys(_ kind: MatchKeyKind) -> [BlockKey] {
        switch kind {
        case .email: emailKeys
        case .phone: phoneKeys
        case .siret: siretKeys
        }
    }

    /// Frees the keys of one kind once they are gathered into the file's sorted array.
    mutating func releaseKeys(_ kind: MatchKeyKind) {
        switch kind {
        case .email: emailKeys = []
        case .phone: phoneKeys = []
        case .siret: siretKeys = []
        }
    }

    /// Empties the block for the next one, keeping the arrays' room.
    mutating func reset(sequence: Int) {
        self.sequence = sequence
        rows.removeAll(keepingCapacity: true)
        emailKeys.removeAll(keepingCapacity: true)
        phoneKeys.removeAll(keepingCapacity: true)
        siretKeys.removeAll(keepingCapacity: true)
        records = 0
        for index in tally.indices { tally[index] = 0 }
        samples.removeAll()
    }

    /// The block in arrays of exactly its size: blocks wait, all of them, until the file is read,
    /// so reserved room (or the holes left by trimming it) would be held a whole file long.
    func exactCopy() -> ParsedBlock {
        var copy = ParsedBlock(sequence: sequence)
        copy.rows = rows.exactCopy()
        copy.emailKeys = emailKeys.exactCopy()
        copy.phoneKeys = phoneKeys.exactCopy()
        copy.siretKeys = siretKeys.exactCopy()
        copy.records = records
        copy.tally = tally
        copy.samples = samples
        return copy
    }

    /// Non-blank data records seen, accepted or not.
    var records = 0
    /// Rejections by `RejectionReason` position.
    var tally: [Int] = Array(repeating: 0, count: RejectionReason.allCases.count)
    /// The first rejections, with their place.
    var samples: [RowRejection] = []

    /// How many rejections each block keeps in detail.
    static let sampleLimit = ContactSet.rejectionSampleLimit

    mutating func reject(_ rejection: RowRejection) {
        reject(rejection.reason) { rejection }
    }

    /// Counts a rejection, building it only when the block keeps it as a sample: a problem on
    /// every row (a consumer file without partner scope) then costs a count, not a value.
    mutating func reject(_ reason: RejectionReason, _ rejection: () -> RowRejection) {
        reject(at: reason.index, rejection)
    }

    /// The same, for a reason whose position in `RejectionReason.allCases` is already known.
    mutating func reject(at index: Int, _ rejection: () -> RowRejection) {
        tally[index] += 1
        if samples.count < ParsedBlock.sampleLimit, tally[index] <= ContactSet.rejectionSamplesPerReason { samples.append(rejection()) }
    }
}

/// Turns a block of records into compact rows and keyed hashes. A parser owns its scratch buffers
/// so that a row costs no allocation; it is a non-copyable struct so that the hot loop pays no
/// reference counting or dynamic exclusivity checks.
struct ContactBlockParser: ~Copyable {
    private let layout: ContactFileLayout
    private let knownNAFCodes: NAFCodeSet
    private let hasher: any MatchKeyHasher
    private let suppression: SuppressionCheck?
    private let scanner: CSVRecordScanner
    private let columns: Columns
    private let asOfDay: Int32
    private let freshSinceDay: Int32
    private let phoneNeedsConsent: Bool
    private var fields = FieldSpans()
    private var unescaped: ByteScratch
    private var address = ByteScratch(capacity: 1024)
    private var key = ByteScratch(capacity: 1024)
    private var canonical = ByteScratch(capacity: 64)
    /// A row's SIRET whose key waits for the next row's, so that the two HMACs run side by side.
    private var waitingSIRET = ByteScratch(capacity: 64)
    private var waitingSIRETRow: UInt32?

    /// A parser for files with `layout`, judging rows by `rules` and hashing keys with `hasher`.
    init(layout: ContactFileLayout, rules: ExchangeRules, hasher: any MatchKeyHasher, limits: ReaderLimits, suppression: SuppressionCheck? = nil) {
        self.layout = layout
        self.suppression = suppression.flatMap { $0.isEmpty ? nil : $0 }
        knownNAFCodes = rules.reference.knownCodes
        self.hasher = hasher
        scanner = CSVRecordScanner(delimiter: layout.delimiter)
        columns = Columns(layout)
        asOfDay = rules.asOf.daysSinceEpoch
        freshSinceDay = rules.freshSince.daysSinceEpoch
        phoneNeedsConsent = rules.consumerPhoneNeedsConsent
        unescaped = ByteScratch(capacity: limits.maxRecordBytes + 1)
    }

    /// Parses every record of `block` into `scratch` (a worker's, reused from block to block) and
    /// returns the result in exact-size arrays.
    mutating func parse(_ block: borrowing RecordBlock, scratch: inout ParsedBlock) -> ParsedBlock {
        // Opening the existential once keeps the per-key calls free of existential copies.
        parse(block, hashingWith: hasher, into: &scratch)
        return scratch.exactCopy()
    }

    private mutating func parse<Hasher: MatchKeyHasher>(
        _ block: borrowing RecordBlock, hashingWith hasher: Hasher, into result: inout ParsedBlock
    ) {
        result.reset(sequence: block.sequence)
        block.bytes.withUnsafeBufferPointer { bytes in
            let index = StructuralIndex(bytes, delimiter: scanner.delimiter)
            // Rows are looked at for NULs and U+FFFD only in a block that holds a NUL or U+FFFD's first byte: a test
            // on the bytes themselves, so a row is judged the same whatever block (and so whatever read) it falls in.
            let mayHoldAnomalies = index.holdsNULOrReplacementLead
            var position = 0
            var line = block.firstLine
            while position < bytes.count {
                let scan = index.scan(bytes, from: position, into: &fields) ?? scanner.scan(bytes, from: position, into: &fields)
                let rowLine = line
                line += scan.lineBreaks
                position = scan.next
                if fields.isBlankLine || fields.allEmpty { continue }
                result.records += 1
                parseRecord(
                    bytes, line: rowLine, unterminated: scan.unterminatedQuote, checkAnomalies: mayHoldAnomalies, hasher: hasher,
                    into: &result)
            }
        }
        if let row = waitingSIRETRow {
            // No later row of the block has a SIRET: this key is the block's last.
            result.siretKeys.append(BlockKey(hasher.matchKey(.siret, of: UnsafeRawBufferPointer(waitingSIRET.bytes))))
            result.rows[Int(row)].flags.insert(.siretKey)
            waitingSIRETRow = nil
        }
    }

    @inline(__always)
    private mutating func value(_ column: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard column >= 0, column < fields.count else { return UnsafeBufferPointer(start: nil, count: 0) }
        return CSVRecordScanner.value(of: fields[column], in: bytes, scratch: &unescaped)
    }

    /// A rejection at a line and column (-1: the file has no such column, the line alone).
    private func rejection(_ line: Int, _ column: Int, _ reason: RejectionReason) -> RowRejection {
        guard column >= 0 else { return RowRejection(line: line, reason: reason) }
        return RowRejection(line: line, column: column + 1, field: layout.headers[column], reason: reason)
    }

    private mutating func parseRecord<Hasher: MatchKeyHasher>(
        _ bytes: UnsafeBufferPointer<UInt8>, line: Int, unterminated: Bool, checkAnomalies: Bool, hasher: Hasher, into result: inout ParsedBlock
    ) {
        let headerCount = layout.headers.count
        if unterminated {
            result.reject(RowRejection(line: line, column: fields.count + 1, reason: .rowUnterminatedQuote))
            return
        }
        if fields.count != headerCount {
            let extrasEmpty =
                fields.count > headerCount && fields.isComplete && (headerCount..<fields.count).allSatisfy { fields[$0].start == fields[$0].end }
            if !extrasEmpty {
                result.reject(RowRejection(line: line, reason: .rowRagged, detail: "\(fields.count) fields where the header has \(headerCount)"))
                return
            }
        }
        if checkAnomalies, let anomaly = findAnomaly(bytes, line: line) {
            result.reject(anomaly)
            return
        }

        var flags: ContactRowFlags = []
        var emailKey: MatchKey?
        var phoneKeys = (MatchKey?.none, MatchKey?.none)
        var siretKey: MatchKey?
        var phoneClass: PhoneClass?
        var consumerDomain = false
        var hasCompanyIdentifier = false
        var phoneColumnUsed = -1

        let emailColumn = columns.email
        if emailColumn >= 0 {
            let raw = value(emailColumn, bytes)
            switch EmailNormaliser.normalise(raw, address: &address, key: &key) {
            case .missing: break
            case .rejected(let reason): result.reject(rejection(line, emailColumn, reason))
            case .valid(let domainStart):
                flags.insert(.validEmail)
                consumerDomain = Webmail.contains(UnsafeBufferPointer(rebasing: address.bytes[domainStart...]))
                if suppression?.contains(.email, key.bytes) == true { flags.insert(.suppressed) }
            }
        }
        // The email's key waits in `key` for the first phone's, so that both HMACs run side by side.
        var emailKeyPending = flags.contains(.validEmail)
        // Both phones are keys: a firm holding someone by their mobile alone already holds them.
        for phoneColumn in PairOfColumns(columns.phone, columns.secondPhone) {
            let raw = value(phoneColumn, bytes)
            switch PhoneNormaliser.normalise(raw, into: &canonical) {
            case .missing: break
            case .rejected(let reason): result.reject(rejection(line, phoneColumn, reason))
            case .valid(let kind, let overseas):
                if kind == .mobile { flags.insert(.mobilePhone) }
                let key: MatchKey
                if emailKeyPending {
                    emailKeyPending = false
                    (emailKey, key) = hasher.matchKeys(
                        .email, of: UnsafeRawBufferPointer(self.key.bytes), .phone, of: UnsafeRawBufferPointer(canonical.bytes))
                } else {
                    key = hasher.matchKey(.phone, of: UnsafeRawBufferPointer(canonical.bytes))
                }
                if suppression?.contains(.phone, canonical.bytes) == true { flags.insert(.suppressed) }
                if phoneKeys.0 == nil {
                    flags.insert(.validPhone)
                    phoneColumnUsed = phoneColumn
                    if overseas { flags.insert(.overseasPhone) }
                    phoneClass = kind
                    phoneKeys.0 = key
                } else if key != phoneKeys.0 {
                    flags.insert(.secondPhoneKey)
                    phoneKeys.1 = key
                }
            }
        }
        if emailKeyPending { emailKey = hasher.matchKey(.email, of: UnsafeRawBufferPointer(key.bytes)) }
        guard flags.contains(.validEmail) || flags.contains(.validPhone) else {
            result.reject(RowRejection(line: line, reason: .rowNoContact))
            return
        }

        let siretColumn = columns.siret
        if siretColumn >= 0 {
            switch CompanyIdentifier.normalise(value(siretColumn, bytes), into: &canonical) {
            case .missing: break
            case .rejected(let reason): result.reject(rejection(line, siretColumn, reason))
            case .siren: hasCompanyIdentifier = true
            case .siret:
                hasCompanyIdentifier = true
                // No row is rejected past this point, so this row is `rows.count` and the waiting one came before it.
                if let waitingRow = waitingSIRETRow {
                    let (earlier, own) = hasher.matchKeys(
                        .siret, of: UnsafeRawBufferPointer(waitingSIRET.bytes), .siret, of: UnsafeRawBufferPointer(canonical.bytes))
                    result.siretKeys.append(BlockKey(earlier))
                    result.rows[Int(waitingRow)].flags.insert(.siretKey)
                    siretKey = own
                    waitingSIRETRow = nil
                } else {
                    waitingSIRET.removeAll()
                    waitingSIRET.append(canonical.bytes)
                    waitingSIRETRow = UInt32(result.rows.count)
                }
                if suppression?.contains(.siret, canonical.bytes) == true { flags.insert(.suppressed) }
            }
        }
        let nafColumn = columns.naf
        if nafColumn >= 0, case .failure(let reason) = NAFCode.normalise(value(nafColumn, bytes), known: knownNAFCodes, into: &canonical) {
            result.reject(rejection(line, nafColumn, reason))
        }
        // Freshness runs from the collection date, or from a later contact the person initiated: a
        // last-contact date counts only when the file says the person made it.
        let collectedDay = day(columns.collectedOn, bytes, line: line, into: &result)
        var inboundDay = day(columns.lastInboundOn, bytes, line: line, into: &result)
        let lastContactDay = day(columns.lastContactOn, bytes, line: line, into: &result)
        let directionColumn = columns.lastContactDirection
        if directionColumn >= 0 {
            switch ValueParsers.direction(value(directionColumn, bytes)) {
            case .success(.inbound?): inboundDay = max(inboundDay, lastContactDay)
            case .success: break
            case .failure(let reason): result.reject(rejection(line, directionColumn, reason))
            }
        }
        let freshestDay = max(collectedDay, inboundDay)
        if freshestDay != Int32.min {
            flags.insert(.dated)
            if freshestDay >= freshSinceDay { flags.insert(.fresh) }
            if inboundDay > collectedDay { flags.insert(.freshFromInbound) }
        }
        if !isBlank(columns.source, bytes) { flags.insert(.hasSource) }

        // Consent, per channel: a generic column counts for email only (README, "The rules, in short").
        let generic = consentCell(columns.consent, bytes, line: line, collectedDay: collectedDay, into: &result)
        if case .refused = generic.consent { flags.insert(.consentRefused) }
        let common = consentDate(columns.consentDate, bytes, line: line, collectedDay: collectedDay, into: &result)
        let email = ChannelState(
            own: consentCell(columns.consentEmail, bytes, line: line, collectedDay: collectedDay, into: &result),
            optOut: optOut(columns.emailOptOut, bytes, line: line, into: &result), fallback: generic,
            channelDate: consentDate(columns.consentEmailOn, bytes, line: line, collectedDay: collectedDay, into: &result), common: common)
        let phone = ChannelState(
            own: consentCell(columns.consentPhone, bytes, line: line, collectedDay: collectedDay, into: &result),
            optOut: optOut(columns.phoneOptOut, bytes, line: line, into: &result), fallback: ConsentCell(),
            channelDate: consentDate(columns.consentPhoneOn, bytes, line: line, collectedDay: collectedDay, into: &result), common: common)
        let sms = ChannelState(
            own: consentCell(columns.consentSMS, bytes, line: line, collectedDay: collectedDay, into: &result),
            optOut: optOut(columns.smsOptOut, bytes, line: line, into: &result), fallback: ConsentCell(),
            channelDate: consentDate(columns.consentSMSOn, bytes, line: line, collectedDay: collectedDay, into: &result), common: common)
        let partners = ChannelState(
            own: consentCell(columns.partnerConsent, bytes, line: line, collectedDay: collectedDay, into: &result), optOut: .unknown,
            fallback: ConsentCell(), channelDate: .none, common: .none)
        flags.formUnion(email.flags(given: .emailConsent, refused: .emailRefused))
        flags.formUnion(phone.flags(given: .phoneConsent, refused: .phoneRefused))
        if case .given(dated: true) = phone { flags.insert(.phoneConsentDated) }
        flags.formUnion(sms.flags(given: .smsConsent, refused: .smsRefused))
        flags.formUnion(partners.flags(given: .partnerConsent, refused: .partnerRefused))
        // A consent counts for a channel the row can be reached by: a generic opt-in on a row with no email covers nothing.
        if flags.contains(.emailReachable) || flags.contains(.phoneReachable) || flags.contains(.smsReachable) {
            flags.insert(.consentGiven)
        }
        if !isBlank(columns.consentProof, bytes) { flags.insert(.consentProof) }

        // Consumer by default: a business names a company and uses no webmail or consumer-ISP address.
        let hasCompany = !isBlank(columns.company, bytes)
        let derived = Segment.derive(hasCompany: hasCompany, hasCompanyIdentifier: hasCompanyIdentifier, consumerDomain: consumerDomain)
        let segmentColumn = columns.segment
        if segmentColumn >= 0 {
            switch ValueParsers.segment(value(segmentColumn, bytes)) {
            case .success(.b2b?) where derived == .b2c: result.reject(rejection(line, segmentColumn, .segmentNotBusiness))
            case .success(.b2c?): break
            case .success: if derived == .b2b { flags.insert(.business) }
            case .failure(let reason):
                result.reject(rejection(line, segmentColumn, reason))
                if derived == .b2b { flags.insert(.business) }
            }
        } else if derived == .b2b {
            flags.insert(.business)
        }
        if !flags.contains(.business), !flags.contains(.consentRefused) {
            reportMissingConsent(
                flags, email: email, phone: phone, sms: sms, partners: partners, phoneColumn: phoneColumnUsed, line: line, into: &result)
        }

        let hasFullName = !isBlank(columns.fullName, bytes)
        var identity = 0
        if hasFullName || !isBlank(columns.lastName, bytes) { identity += 1 }
        if hasFullName || !isBlank(columns.firstName, bytes) { identity += 1 }
        if !isBlank(columns.address, bytes) { identity += 1 }
        if !isBlank(columns.postalCode, bytes) { identity += 1 }
        if !isBlank(columns.city, bytes) { identity += 1 }
        if hasCompany || hasCompanyIdentifier { identity += 1 }
        var completeness = identity
        if !isBlank(columns.civility, bytes) { completeness += 1 }
        if flags.contains(.validEmail) { completeness += 1 }
        if flags.contains(.validPhone) { completeness += 1 }
        if !isBlank(columns.naf, bytes) { completeness += 1 }
        if flags.contains(.hasSource) { completeness += 1 }
        if flags.contains(.dated) { completeness += 1 }
        if flags.contains(.consentGiven) || flags.contains(.consentRefused) { completeness += 1 }

        // Each key in row order, as many as the row's flags count (`ContactRowFlags.keyCount`).
        if let emailKey { result.emailKeys.append(BlockKey(emailKey)) }
        if let phoneKey = phoneKeys.0 { result.phoneKeys.append(BlockKey(phoneKey)) }
        if let phoneKey = phoneKeys.1 { result.phoneKeys.append(BlockKey(phoneKey)) }
        if let siretKey {
            flags.insert(.siretKey)
            result.siretKeys.append(BlockKey(siretKey))
        }
        result.rows.append(
            ContactRow(
                line: UInt32(line), freshestDay: freshestDay, flags: flags,
                quality: ContactQuality.score(
                    flags: flags, phoneClass: phoneClass, freshestDay: freshestDay, identityFields: identity, asOfDay: asOfDay,
                    freshSinceDay: freshSinceDay),
                completeness: UInt8(completeness), phoneClass: phoneClass?.rawValue ?? 0))
    }

    /// The day a date column holds, `Int32.min` when empty; an unreadable or future date is reported
    /// at its column and counts as empty.
    private mutating func day(_ column: Int, _ bytes: UnsafeBufferPointer<UInt8>, line: Int, into result: inout ParsedBlock) -> Int32 {
        guard column >= 0 else { return Int32.min }
        let raw = value(column, bytes)
        guard !ByteText.trimmed(raw).isEmpty else { return Int32.min }
        switch ValueParsers.date(raw) {
        case .success(let date) where date.daysSinceEpoch > asOfDay:
            result.reject(rejection(line, column, .dateFuture))
        case .success(let date):
            return date.daysSinceEpoch
        case .failure(let reason):
            result.reject(rejection(line, column, reason))
        }
        return Int32.min
    }

    /// A consent cell (yes/no or the date it was given); an unreadable one is reported and records nothing.
    private mutating func consentCell(
        _ column: Int, _ bytes: UnsafeBufferPointer<UInt8>, line: Int, collectedDay: Int32, into result: inout ParsedBlock
    ) -> ConsentCell {
        guard column >= 0 else { return ConsentCell() }
        switch ValueParsers.consent(value(column, bytes)) {
        case .success(let consent):
            guard case .given(let date?) = consent else { return ConsentCell(consent: consent) }
            return ConsentCell(
                consent: consent, day: check(date.daysSinceEpoch, column: column, line: line, collectedDay: collectedDay, into: &result))
        case .failure(let reason):
            result.reject(rejection(line, column, reason))
            return ConsentCell()
        }
    }

    /// A consent-date column: whether it dates the consents that have no date of their own. An
    /// unreadable date is reported and dates nothing; an impossible one proves nothing.
    private mutating func consentDate(
        _ column: Int, _ bytes: UnsafeBufferPointer<UInt8>, line: Int, collectedDay: Int32, into result: inout ParsedBlock
    ) -> ConsentDay {
        guard column >= 0 else { return .none }
        let raw = value(column, bytes)
        guard !ByteText.trimmed(raw).isEmpty else { return .none }
        switch ValueParsers.date(raw) {
        case .success(let date): return check(date.daysSinceEpoch, column: column, line: line, collectedDay: collectedDay, into: &result)
        case .failure(let reason):
            result.reject(rejection(line, column, reason))
            return .none
        }
    }

    /// A consent is given after the data was collected and no later than the reference date.
    private func check(_ day: Int32, column: Int, line: Int, collectedDay: Int32, into result: inout ParsedBlock) -> ConsentDay {
        if day > asOfDay {
            result.reject(rejection(line, column, .dateFuture))
            return .impossible
        }
        if collectedDay != Int32.min, day < collectedDay {
            result.reject(rejection(line, column, .consentBeforeCollection))
            return .impossible
        }
        return .valid
    }

    /// An opt-out column (opt-out, do-not-call, blacklisted): a yes or a date there is a refusal.
    private mutating func optOut(_ column: Int, _ bytes: UnsafeBufferPointer<UInt8>, line: Int, into result: inout ParsedBlock) -> Consent {
        guard column >= 0 else { return .unknown }
        switch ValueParsers.consent(value(column, bytes)) {
        case .success(.given): return .given(on: nil)
        case .success: return .unknown
        case .failure(let reason):
            result.reject(rejection(line, column, reason))
            return .unknown
        }
    }

    /// Reports each element a consumer's channels lack, one reason each, at the column that should hold it.
    private func reportMissingConsent(
        _ flags: ContactRowFlags, email: ChannelState, phone: ChannelState, sms: ChannelState, partners: ChannelState, phoneColumn: Int,
        line: Int, into result: inout ParsedBlock
    ) {
        let emailNeedsConsent = flags.contains(.validEmail)
        let phoneNeedsConsent = flags.contains(.validPhone) && self.phoneNeedsConsent
        let smsNeedsConsent = flags.contains(.mobilePhone) && columns.tracksSMS
        if emailNeedsConsent, case .none = email {
            let column = columns.consentEmail >= 0 ? columns.consentEmail : columns.consent >= 0 ? columns.consent : columns.email
            result.reject(at: MissingConsent.consentEmailMissing) { rejection(line, column, .consentEmailMissing) }
        }
        if phoneNeedsConsent {
            switch phone {
            case .none:
                let column = columns.consentPhone >= 0 ? columns.consentPhone : phoneColumn
                result.reject(at: MissingConsent.consentPhoneMissing) { rejection(line, column, .consentPhoneMissing) }
            case .given(dated: false):
                result.reject(at: MissingConsent.consentPhoneUndated) { rejection(line, columns.consentPhone, .consentPhoneUndated) }
            case .given, .refused: break
            }
        }
        if smsNeedsConsent, case .none = sms {
            let column = columns.consentSMS >= 0 ? columns.consentSMS : columns.smsOptOut
            result.reject(at: MissingConsent.consentSMSMissing) { rejection(line, column, .consentSMSMissing) }
        }
        let anyChannel = flags.contains(.consentGiven)
        switch partners {
        case .none where emailNeedsConsent || phoneNeedsConsent || smsNeedsConsent:
            result.reject(at: MissingConsent.consentPartnersMissing) { rejection(line, columns.partnerConsent, .consentPartnersMissing) }
        case .given where !anyChannel:
            result.reject(at: MissingConsent.consentPartnersWithoutChannel) {
                rejection(line, columns.partnerConsent, .consentPartnersWithoutChannel)
            }
        default: break
        }
    }

    @inline(__always)
    private func isBlank(_ column: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard column >= 0, column < fields.count else { return true }
        let span = fields[column]
        var start = Int(span.start)
        var end = Int(span.end)
        if span.quoted {
            start += 1
            end -= 1
        }
        while start < end, bytes[start] == ByteText.space || bytes[start] == ByteText.tab { start += 1 }
        return start >= end
    }

    /// The first NUL byte or replacement character in the record, as a rejection naming its column.
    private func findAnomaly(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) -> RowRejection? {
        for index in 0..<min(fields.count, fields.capacity) {
            let span = fields[index]
            var position = Int(span.start)
            let end = Int(span.end)
            while position < end {
                let byte = bytes[position]
                if byte == 0 {
                    return RowRejection(line: line, column: index + 1, field: layout.headers[safe: index], reason: .rowNulByte)
                }
                if byte == 0xEF, position + 2 < end, bytes[position + 1] == 0xBF, bytes[position + 2] == 0xBD {
                    return RowRejection(line: line, column: index + 1, field: layout.headers[safe: index], reason: .rowInvalidEncoding)
                }
                position += 1
            }
        }
        return nil
    }
}

/// Column positions of the fields the parser reads, -1 when the file has none.
private struct Columns {
    let civility: Int
    let lastName: Int
    let firstName: Int
    let fullName: Int
    let email: Int
    let phone: Int
    let secondPhone: Int
    let address: Int
    let postalCode: Int
    let city: Int
    let company: Int
    let siret: Int
    let naf: Int
    let source: Int
    let collectedOn: Int
    let consent: Int
    let lastContactOn: Int
    let segment: Int
    let consentEmail: Int
    let consentPhone: Int
    let consentSMS: Int
    let emailOptOut: Int
    let phoneOptOut: Int
    let smsOptOut: Int
    let consentEmailOn: Int
    let consentPhoneOn: Int
    let consentSMSOn: Int
    let consentDate: Int
    let consentProof: Int
    let partnerConsent: Int
    let lastInboundOn: Int
    let lastContactDirection: Int
    /// Whether the file records SMS consent at all: a file that does not claims no SMS channel.
    let tracksSMS: Bool

    init(_ layout: ContactFileLayout) {
        func at(_ field: ContactField) -> Int { layout.column(of: field) ?? -1 }
        civility = at(.civility)
        lastName = at(.lastName)
        firstName = at(.firstName)
        fullName = at(.fullName)
        email = at(.email)
        phone = at(.phone)
        secondPhone = at(.secondPhone)
        address = at(.address)
        postalCode = at(.postalCode)
        city = at(.city)
        company = at(.company)
        siret = at(.siret)
        naf = at(.naf)
        source = at(.source)
        collectedOn = at(.collectedOn)
        consent = at(.consent)
        lastContactOn = at(.lastContactOn)
        segment = at(.segment)
        consentEmail = at(.consentEmail)
        consentPhone = at(.consentPhone)
        consentSMS = at(.consentSMS)
        emailOptOut = at(.emailOptOut)
        phoneOptOut = at(.phoneOptOut)
        smsOptOut = at(.smsOptOut)
        consentEmailOn = at(.consentEmailOn)
        consentPhoneOn = at(.consentPhoneOn)
        consentSMSOn = at(.consentSMSOn)
        consentDate = at(.consentDate)
        consentProof = at(.consentProof)
        partnerConsent = at(.partnerConsent)
        lastInboundOn = at(.lastInboundOn)
        lastContactDirection = at(.lastContactDirection)
        tracksSMS = consentSMS >= 0 || smsOptOut >= 0 || consentSMSOn >= 0
    }
}

/// Positions of the missing-consent reasons, looked up once: they may be reported on every row.
private enum MissingConsent {
    static let consentEmailMissing = RejectionReason.consentEmailMissing.index
    static let consentPhoneMissing = RejectionReason.consentPhoneMissing.index
    static let consentPhoneUndated = RejectionReason.consentPhoneUndated.index
    static let consentSMSMissing = RejectionReason.consentSMSMissing.index
    static let consentPartnersMissing = RejectionReason.consentPartnersMissing.index
    static let consentPartnersWithoutChannel = RejectionReason.consentPartnersWithoutChannel.index
}

/// Whether a consent's date can prove it: none recorded, a valid one, or one in the future or
/// before the collection date (reported; the consent then counts for nothing).
private enum ConsentDay {
    case none
    case valid
    case impossible
}

/// One consent cell as read.
private struct ConsentCell {
    var consent: Consent = .unknown
    var day: ConsentDay = .none
}

/// One channel's consent for a row, its columns combined.
private enum ChannelState {
    case none
    case refused
    case given(dated: Bool)

    /// The channel's own cell, or else the fallback (the generic column, for email); an opt-out
    /// wins; the consent is dated by its own date, else the channel's date column, else the common
    /// consent date. `CanonicalContactWriter.consentDate` prints the date in the same order.
    init(own: ConsentCell, optOut: Consent, fallback: ConsentCell, channelDate: ConsentDay, common: ConsentDay) {
        if case .given = optOut {
            self = .refused
            return
        }
        let cell: ConsentCell = if case .unknown = own.consent { fallback } else { own }
        switch cell.consent {
        case .unknown: self = .none
        case .refused: self = .refused
        case .given:
            let day = cell.day != .none ? cell.day : channelDate != .none ? channelDate : common
            switch day {
            case .none: self = .given(dated: false)
            case .valid: self = .given(dated: true)
            case .impossible: self = .none
            }
        }
    }

    /// The row flags this state sets.
    func flags(given: ContactRowFlags, refused: ContactRowFlags) -> ContactRowFlags {
        switch self {
        case .none: []
        case .refused: refused
        case .given: given
        }
    }
}

/// Two optional column positions to loop over without building an array per row.
private struct PairOfColumns: Sequence, IteratorProtocol {
    private var first: Int
    private var second: Int

    init(_ first: Int, _ second: Int) {
        self.first = first
        self.second = second
    }

    mutating func next() -> Int? {
        if first >= 0 {
            defer { first = -1 }
            return first
        }
        if second >= 0 {
            defer { second = -1 }
            return second
        }
        return nil
    }
}

extension Array {
    /// The element at `index`, or nil past the end.
    subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}

extension Array {
    /// The elements in a buffer of exactly their count.
    func exactCopy() -> [Element] {
        isEmpty
            ? []
            : Array(unsafeUninitializedCapacity: count) { buffer, initialized in
                initialized = withUnsafeBufferPointer { source in buffer.initialize(from: source).1 }
            }
    }
}
