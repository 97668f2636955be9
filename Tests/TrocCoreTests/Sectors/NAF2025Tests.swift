import Testing
import TrocCore

/// NAF 2025 (décret 2025-736) beside NAF rév. 2: codes recognised in either, verdicts decided through INSEE's
/// correspondence, confidential sectors holding in both.
@Suite struct NAF2025Tests {
    struct Recognition: Sendable, CustomTestStringConvertible {
        var text: String
        var nomenclature: NAFNomenclature?
        var expected: Result<String, NAFCodeError>
        var testDescription: String { "\(text) \(nomenclature?.rawValue ?? "")" }
    }

    static let recognitions: [Recognition] = [
        Recognition(text: "43.32A", nomenclature: nil, expected: .success("43.32A rev2")),
        Recognition(text: "4332g", nomenclature: nil, expected: .success("43.32G naf2025")),
        Recognition(text: " 43 22 H ", nomenclature: .naf2025, expected: .success("43.22H naf2025")),
        Recognition(text: "62.01", nomenclature: nil, expected: .success("62.01Z rev2")),
        Recognition(text: "46.89", nomenclature: nil, expected: .success("46.89Y naf2025")),
        Recognition(text: "01.11", nomenclature: .naf2025, expected: .success("01.11Y naf2025")),
        Recognition(text: "99.99Z", nomenclature: nil, expected: .failure(.unknown("99.99Z"))),
        Recognition(text: "43.32Y", nomenclature: nil, expected: .failure(.unknown("43.32Y"))),
        Recognition(text: "43.32A", nomenclature: .naf2025, expected: .failure(.otherNomenclature("43.32A", expected: .naf2025, found: .rev2))),
        Recognition(text: "62.01", nomenclature: .naf2025, expected: .failure(.otherNomenclature("62.01", expected: .naf2025, found: .rev2))),
        Recognition(
            text: "43.32", nomenclature: nil,
            expected: .failure(.incomplete("43.32", candidates: ["43.32A", "43.32B", "43.32C", "43.32G", "43.32H"]))),
        Recognition(text: "A4332", nomenclature: nil, expected: .failure(.format("A4332"))),
        Recognition(text: "43/32", nomenclature: nil, expected: .failure(.format("43/32"))),
    ]

    @Test(arguments: recognitions)
    func codesAreRecognisedInTheirNomenclature(_ recognition: Recognition) {
        let result = NAFCode.recognise(recognition.text, nomenclature: recognition.nomenclature).map { "\($0.code) \($0.nomenclature.rawValue)" }
        #expect(result == recognition.expected)
    }

    @Test func aClassWithOneSubclassInEachNomenclatureIsAmbiguousAndSaysWhatToGive() throws {
        guard case .failure(let error) = NAFCode.recognise("01.11", nomenclature: nil) else {
            Issue.record("01.11 is 01.11Z in rév. 2 and 01.11Y in NAF 2025")
            return
        }
        #expect(error.code == "naf.ambiguous")
        #expect(error.description.contains("01.11Z in NAF rév. 2 or 01.11Y in NAF 2025"))
        #expect(error.description.contains("--nomenclature"))
        #expect(NAFCodeError.unknown("99.99Z").description.contains("neither NAF rév. 2 nor NAF 2025"))
    }

    struct Pair: Sendable, CustomTestStringConvertible {
        var a: (String, NAFNomenclature)
        var b: (String, NAFNomenclature)
        var kind: SectorVerdict.Kind
        var reasonMentions: String
        var testDescription: String { "\(a.0) \(b.0)" }
    }

    static let pairs: [Pair] = [
        // 43.32A maps to 43.32G, in the class of 43.32H.
        Pair(a: ("43.32A", .rev2), b: ("43.32H", .naf2025), kind: .competitor, reasonMentions: "corresponds to 43.32G in NAF 2025"),
        // Insulation moved from 43.29 to 43.23: still competitors.
        Pair(
            a: ("43.23Y", .naf2025), b: ("43.29A", .rev2), kind: .competitor,
            reasonMentions: "corresponds to 43.29A in NAF rév. 2, in the same class 43.29"),
        Pair(a: ("43.32G", .naf2025), b: ("43.32H", .naf2025), kind: .competitor, reasonMentions: "same NAF 2025 class 43.32"),
        // 43.22H's antecedents (43.22B, 43.99D) share the energy cluster with 43.32A.
        Pair(a: ("43.32A", .rev2), b: ("43.22H", .naf2025), kind: .complementary, reasonMentions: "43.22H → 43.22B, 43.99D"),
        Pair(a: ("43.32G", .naf2025), b: ("43.22H", .naf2025), kind: .complementary, reasonMentions: "energie-confort-habitat"),
        // Confidential through the correspondence: 64.19Y is 64.19Z (banks), 80.01Y is 80.10Z (security).
        Pair(a: ("64.19Y", .naf2025), b: ("43.32A", .rev2), kind: .confidential, reasonMentions: "through 64.19Z"),
        Pair(a: ("43.32G", .naf2025), b: ("80.01Y", .naf2025), kind: .confidential, reasonMentions: "80.01Y"),
        Pair(a: ("46.89Y", .naf2025), b: ("43.32A", .rev2), kind: .unrelated, reasonMentions: "46.89Y → none"),
    ]

    @Test(arguments: pairs)
    func verdictsAcrossNomenclaturesGoThroughTheCorrespondence(_ pair: Pair) throws {
        let verdict = try SectorRules().verdict(pair.a.0, in: pair.a.1, pair.b.0, in: pair.b.1).get()
        #expect(verdict.kind == pair.kind, "\(verdict.reason)")
        #expect(verdict.reason.contains(pair.reasonMentions), "\(verdict.reason)")
        #expect(verdict.codes.map(\.nomenclature) == [pair.a.1, pair.b.1])
    }

    @Test func aCodeIsJudgedInItsOwnNomenclatureOnly() {
        #expect(SectorRules().verdict("43.32G", "43.22B") == .failure(.unknownCode("43.32G", .rev2)))
        #expect(SectorRules().refusal(of: "64.19Y", in: .naf2025).map(\.code) == "sector.confidential")
        #expect(SectorRules().refusal(of: "43.32G", in: .naf2025) == nil)
    }
}
