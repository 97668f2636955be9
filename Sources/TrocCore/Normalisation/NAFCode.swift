/// NAF sub-class codes, `NN.NNX`, of NAF rév. 2 or NAF 2025.
public enum NAFCode {
    /// Normalises `4332a`, `43 32 A` or `43.32A` to `43.32A` in `output`, and checks it exists in `reference`.
    static func normalise(_ raw: UnsafeBufferPointer<UInt8>, known: NAFCodeSet, into output: inout ByteScratch) -> Result<Bool, RejectionReason> {
        output.removeAll()
        let value = ByteText.trimmed(raw)
        guard !value.isEmpty else { return .success(false) }
        var digits = 0
        var letter: UInt8 = 0
        for byte in value {
            if ByteText.isDigit(byte) {
                guard digits < 4, letter == 0 else { return .failure(.nafFormat) }
                if digits == 2 { output.append(UInt8(ascii: ".")) }
                output.append(byte)
                digits += 1
            } else if byte &- 0x41 < 26 || byte &- 0x61 < 26 {
                guard digits == 4, letter == 0 else { return .failure(.nafFormat) }
                letter = byte & 0xDF
                output.append(letter)
            } else if byte != UInt8(ascii: ".") && byte != ByteText.space && byte != UInt8(ascii: "-") {
                return .failure(.nafFormat)
            }
        }
        guard digits == 4, letter != 0 else { return .failure(.nafFormat) }
        guard let packed = packed(output.bytes), known.contains(packed) else { return .failure(.nafUnknown) }
        return .success(true)
    }

    /// `43.32A` as one integer (4332 × 32 + letter), or nil if not of that shape.
    static func packed(_ code: String) -> UInt32? {
        ByteText.withBytes(of: code) { packed($0) }
    }

    static func packed(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
        guard bytes.count == 6, bytes[2] == UInt8(ascii: "."), bytes[5] &- 0x41 < 26 else { return nil }
        var number: UInt32 = 0
        for index in 0..<5 where index != 2 {
            guard ByteText.isDigit(bytes[index]) else { return nil }
            number = number * 10 + UInt32(bytes[index] - 0x30)
        }
        return number * 32 + UInt32(bytes[5] - 0x41)
    }

    /// Normalises a NAF code given as text and checks it against `reference`.
    public static func normalise(_ text: String, reference: ReferenceData = .embedded) -> Result<String, RejectionReason> {
        ByteText.withBytes(of: text) { raw in
            var output = ByteScratch(capacity: 16)
            switch normalise(raw, known: reference.knownCodes, into: &output) {
            case .success(true): return .success(output.string)
            case .success(false): return .failure(.nafFormat)
            case .failure(let reason): return .failure(reason)
            }
        }
    }

    /// The sub-class a firm's code names, in the nomenclature given or the one it is found in.
    ///
    /// A sub-class code (`43.32A`, `4332g`) belongs to one nomenclature only, by its suffix letter. A bare class is
    /// completed when it has a single sub-class (`62.01` is `62.01Z`), is ambiguous without `nomenclature` when each
    /// nomenclature has one (`01.11`: `01.11Z` or `01.11Y`), and incomplete when it has several (`43.32`).
    public static func recognise(
        _ text: String, nomenclature: NAFNomenclature?, reference: ReferenceData = .embedded
    ) -> Result<NAFSubclass, NAFCodeError> {
        let compact = text.uppercased().filter { $0 != " " && $0 != "." && $0 != "-" }
        let characters = Array(compact)
        guard (4...5).contains(characters.count), characters.prefix(4).allSatisfy({ $0.isASCII && $0.isNumber }),
            characters.count == 4 || (characters[4].isASCII && characters[4].isLetter)
        else { return .failure(.format(text)) }
        let classCode = String(characters[0..<2]) + "." + String(characters[2..<4])
        let nomenclatures = nomenclature.map { [$0] } ?? NAFNomenclature.allCases
        if characters.count == 5 {
            let code = classCode + String(characters[4])
            if let found = nomenclatures.lazy.compactMap({ reference.subclass(code, in: $0) }).first { return .success(found) }
            if let nomenclature, let other = reference.subclass(code, in: nomenclature.other) {
                return .failure(.otherNomenclature(code, expected: nomenclature, found: other.nomenclature))
            }
            return .failure(.unknown(code))
        }
        var candidates: [NAFNomenclature: [NAFSubclass]] = [:]
        for nomenclature in nomenclatures {
            let table = nomenclature == .rev2 ? reference.subclasses : reference.naf2025Subclasses
            let inClass = table.values.filter { $0.classCode == classCode }.sorted { $0.code < $1.code }
            if !inClass.isEmpty { candidates[nomenclature] = inClass }
        }
        let all = candidates.keys.sorted().flatMap { candidates[$0] ?? [] }
        if all.count == 1 { return .success(all[0]) }
        if candidates.count == 2, candidates.values.allSatisfy({ $0.count == 1 }) { return .failure(.ambiguous(classCode, candidates: all)) }
        if all.isEmpty {
            if let nomenclature, reference.levelLabel(classCode, in: nomenclature.other) != nil {
                return .failure(.otherNomenclature(classCode, expected: nomenclature, found: nomenclature.other))
            }
            return .failure(.unknown(classCode))
        }
        return .failure(.incomplete(classCode, candidates: all.map(\.code)))
    }
}

/// Why a firm's NAF code cannot be recognised; each names the value and says what to give instead.
public enum NAFCodeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Not of the form `43.32A` (or a bare class `43.32`).
    case format(String)
    /// Valid in neither NAF rév. 2 nor NAF 2025.
    case unknown(String)
    /// A code of the other nomenclature than the one asked for.
    case otherNomenclature(String, expected: NAFNomenclature, found: NAFNomenclature)
    /// A class with several sub-classes: which one?
    case incomplete(String, candidates: [String])
    /// A class found in both nomenclatures: which one?
    case ambiguous(String, candidates: [NAFSubclass])

    /// A stable code for problem+json.
    public var code: String {
        switch self {
        case .format: "naf.format"
        case .unknown: "naf.unknown"
        case .otherNomenclature: "naf.other-nomenclature"
        case .incomplete: "naf.incomplete"
        case .ambiguous: "naf.ambiguous"
        }
    }

    public var description: String {
        switch self {
        case .format(let text):
            return "\"\(text)\" is not a NAF code: give the APE code as on the firm's SIRENE notice, such as 43.32A (NAF rév. 2) or 43.32G (NAF 2025)"
        case .unknown(let code):
            return "\(code) is valid in neither NAF rév. 2 nor NAF 2025: check the APE code on the firm's SIRENE notice"
        case .otherNomenclature(let code, let expected, let found):
            return
                "\(code) is a \(found.name) code, not \(expected.name): give the nomenclature \(found.rawValue), or the firm's \(expected.name) code"
        case .incomplete(let code, let candidates):
            return "\(code) is a class with several sub-classes: give one of \(candidates.joined(separator: ", "))"
        case .ambiguous(let code, let candidates):
            let named = candidates.map { "\($0.code) in \($0.nomenclature.name)" }.joined(separator: " or ")
            return "\(code) is ambiguous: it may be \(named); say which nomenclature, rev2 or naf2025 (`--nomenclature` in troc, "
                + "nafNomenclature in the API), or give the full sub-class code"
        }
    }
}
