/// What parsing one block yields: compact rows, their keyed hashes, and what was rejected.
struct ParsedBlock: Sendable {
    /// The block's position in its file.
    var sequence: Int
    /// Accepted rows, in file order.
    var rows: [ContactRow] = []
    /// Email, phone and SIRET keys, rows numbered within the block.
    var emailKeys: [KeyEntry] = []
    var phoneKeys: [KeyEntry] = []
    var siretKeys: [KeyEntry] = []

    /// The keys of one kind.
    func keys(_ kind: Int) -> [KeyEntry] {
        switch kind {
        case MatchKeyKind.email.rawValue: emailKeys
        case MatchKeyKind.phone.rawValue: phoneKeys
        default: siretKeys
        }
    }

    /// Frees the keys of one kind once they are gathered into the file's sorted array.
    mutating func releaseKeys(_ kind: Int) {
        switch kind {
        case MatchKeyKind.email.rawValue: emailKeys = []
        case MatchKeyKind.phone.rawValue: phoneKeys = []
        default: siretKeys = []
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
    static let sampleLimit = 100

    mutating func reject(_ rejection: RowRejection) {
        tally[rejection.reason.index] += 1
        if samples.count < ParsedBlock.sampleLimit { samples.append(rejection) }
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
    private var fields = FieldSpans()
    private var unescaped: ByteScratch
    private var address = ByteScratch(capacity: 1024)
    private var key = ByteScratch(capacity: 1024)
    private var canonical = ByteScratch(capacity: 64)

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
            // Rows are looked at for NULs and U+FFFD only in a block that holds a NUL or U+FFFD's first byte: a test
            // on the bytes themselves, so a row is judged the same whatever block (and so whatever read) it falls in.
            let mayHoldAnomalies =
                ByteSearch.first(0, in: bytes, from: 0, to: bytes.count) != nil || ByteSearch.first(0xEF, in: bytes, from: 0, to: bytes.count) != nil
            var position = 0
            var line = block.firstLine
            while position < bytes.count {
                let scan = scanner.scan(bytes, from: position, into: &fields)
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
    }

    @inline(__always)
    private mutating func value(_ column: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard column >= 0, column < fields.count else { return UnsafeBufferPointer(start: nil, count: 0) }
        return CSVRecordScanner.value(of: fields[column], in: bytes, scratch: &unescaped)
    }

    private func rejection(_ line: Int, _ column: Int, _ reason: RejectionReason) -> RowRejection {
        RowRejection(line: line, column: column + 1, field: layout.headers[column], reason: reason)
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

        let emailColumn = columns.email
        if emailColumn >= 0 {
            let raw = value(emailColumn, bytes)
            switch EmailNormaliser.normalise(raw, address: &address, key: &key) {
            case .missing: break
            case .rejected(let reason): result.reject(rejection(line, emailColumn, reason))
            case .valid(let domainStart):
                flags.insert(.validEmail)
                consumerDomain = Webmail.contains(UnsafeBufferPointer(rebasing: address.bytes[domainStart...]))
                emailKey = hasher.matchKey(.email, of: UnsafeRawBufferPointer(key.bytes))
                if suppression?.contains(.email, key.bytes) == true { flags.insert(.suppressed) }
            }
        }
        // Both phones are keys: a firm holding someone by their mobile alone already holds them.
        for phoneColumn in PairOfColumns(columns.phone, columns.secondPhone) {
            let raw = value(phoneColumn, bytes)
            switch PhoneNormaliser.normalise(raw, into: &canonical) {
            case .missing: break
            case .rejected(let reason): result.reject(rejection(line, phoneColumn, reason))
            case .valid(let kind, let overseas):
                let key = hasher.matchKey(.phone, of: UnsafeRawBufferPointer(canonical.bytes))
                if suppression?.contains(.phone, canonical.bytes) == true { flags.insert(.suppressed) }
                if phoneKeys.0 == nil {
                    flags.insert(.validPhone)
                    if overseas { flags.insert(.overseasPhone) }
                    phoneClass = kind
                    phoneKeys.0 = key
                } else if key != phoneKeys.0 {
                    phoneKeys.1 = key
                }
            }
        }
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
                siretKey = hasher.matchKey(.siret, of: UnsafeRawBufferPointer(canonical.bytes))
                if suppression?.contains(.siret, canonical.bytes) == true { flags.insert(.suppressed) }
            }
        }
        let nafColumn = columns.naf
        if nafColumn >= 0, case .failure(let reason) = NAFCode.normalise(value(nafColumn, bytes), known: knownNAFCodes, into: &canonical) {
            result.reject(rejection(line, nafColumn, reason))
        }
        let consentColumn = columns.consent
        if consentColumn >= 0 {
            switch ValueParsers.consent(value(consentColumn, bytes)) {
            case .success(.given(let date)):
                if let date, date.daysSinceEpoch > asOfDay {
                    result.reject(rejection(line, consentColumn, .dateFuture))
                } else {
                    flags.insert(.consentGiven)
                }
            case .success(.refused): flags.insert(.consentRefused)
            case .success(.unknown): break
            case .failure(let reason): result.reject(rejection(line, consentColumn, reason))
            }
        }
        var freshestDay = Int32.min
        for dateColumn in PairOfColumns(columns.collectedOn, columns.lastContactOn) {
            let raw = value(dateColumn, bytes)
            guard !ByteText.trimmed(raw).isEmpty else { continue }
            switch ValueParsers.date(raw) {
            case .success(let date) where date.daysSinceEpoch > asOfDay:
                result.reject(rejection(line, dateColumn, .dateFuture))
            case .success(let date):
                freshestDay = max(freshestDay, date.daysSinceEpoch)
            case .failure(let reason):
                result.reject(rejection(line, dateColumn, reason))
            }
        }
        if freshestDay != Int32.min {
            flags.insert(.dated)
            if freshestDay >= freshSinceDay { flags.insert(.fresh) }
        }
        if !isBlank(columns.source, bytes) { flags.insert(.hasSource) }

        let hasCompany = !isBlank(columns.company, bytes)
        var segment: Segment?
        let segmentColumn = columns.segment
        if segmentColumn >= 0 {
            switch ValueParsers.segment(value(segmentColumn, bytes)) {
            case .success(let explicit): segment = explicit
            case .failure(let reason): result.reject(rejection(line, segmentColumn, reason))
            }
        }
        let derived = Segment.derive(
            hasCompany: hasCompany, hasCompanyIdentifier: hasCompanyIdentifier, validEmail: flags.contains(.validEmail),
            consumerDomain: consumerDomain)
        if (segment ?? derived) == .b2b { flags.insert(.business) }

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

        let row = UInt32(result.rows.count)
        if let emailKey { result.emailKeys.append(KeyEntry(emailKey, row: row)) }
        if let phoneKey = phoneKeys.0 { result.phoneKeys.append(KeyEntry(phoneKey, row: row)) }
        if let phoneKey = phoneKeys.1 { result.phoneKeys.append(KeyEntry(phoneKey, row: row)) }
        if let siretKey { result.siretKeys.append(KeyEntry(siretKey, row: row)) }
        result.rows.append(
            ContactRow(
                line: UInt32(line), freshestDay: freshestDay,
                quality: ContactQuality.score(
                    flags: flags, phoneClass: phoneClass, freshestDay: freshestDay, identityFields: identity, asOfDay: asOfDay,
                    freshSinceDay: freshSinceDay),
                flags: flags, completeness: UInt8(completeness), phoneClass: phoneClass?.rawValue ?? 0))
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
