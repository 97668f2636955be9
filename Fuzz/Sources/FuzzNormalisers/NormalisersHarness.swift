import FuzzSupport
import TrocCore

/// The value normalisers: email, phone, SIREN/SIRET, NAF code, dates, consent and contact type, suppression
/// entries, VAT numbers, IBAN and BIC. Every input goes to every normaliser; what one accepts must be a fixed
/// point (normalising the normalised form gives it back) and have the documented shape.
enum NormalisersHarness {
    /// One fuzzer input, read as UTF-8 (invalid sequences become U+FFFD, as the contact-file reader does).
    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        checkEmail(text)
        checkPhone(text)
        checkCompanyIdentifier(text)
        checkNAFCode(text)
        checkDate(text)
        checkSuppressionEntry(text)
        checkInvoicingIdentifiers(text)
        _ = ValueParsers.consent(text)
        _ = ValueParsers.segment(text)
        _ = ContactField.named(text)
    }

    /// The address delivered and the match key both normalise to the same match key.
    static func checkEmail(_ text: String) {
        guard case .success(let email) = EmailNormaliser.normalise(text) else { return }
        guard case .success(let again) = EmailNormaliser.normalise(email.delivered) else {
            fatalError("invariant broken: the delivered address \(email.delivered) of \(text) is refused")
        }
        FuzzCheck.equal(again, email, "the email normalised from its delivered form")
        guard case .success(let key) = EmailNormaliser.normalise(email.matchKey) else {
            fatalError("invariant broken: the match key \(email.matchKey) of \(text) is not a valid address")
        }
        FuzzCheck.equal(key.matchKey, email.matchKey, "the match key normalised again")
    }

    /// An E.164 number of at most 15 digits that normalises to itself, with the same class.
    static func checkPhone(_ text: String) {
        guard case .success(let phone) = PhoneNormaliser.normalise(text) else { return }
        let digits = phone.e164.utf8.dropFirst()
        FuzzCheck.expect(phone.e164.hasPrefix("+") && (4...15).contains(digits.count) && digits.allSatisfy { $0 &- 0x30 < 10 }, "E.164 \(phone.e164)")
        FuzzCheck.expect(phone.phoneClass != .special, "a special-rate number was accepted")
        FuzzCheck.equal(try? PhoneNormaliser.normalise(phone.e164)?.get(), phone, "the phone normalised from its E.164 form")
    }

    /// A SIREN of 9 digits or a SIRET of 14 starting with its SIREN, that parses back to itself.
    static func checkCompanyIdentifier(_ text: String) {
        guard case .success(let identifier) = CompanyIdentifier.parse(text) else { return }
        FuzzCheck.equal(try? CompanyIdentifier.parse(identifier.description).get(), identifier, "the identifier parsed from its digits")
        FuzzCheck.expect(identifier.siren.utf8.count == 9 && identifier.siren.utf8.allSatisfy { $0 &- 0x30 < 10 }, "SIREN \(identifier.siren)")
        if let siret = identifier.siret {
            FuzzCheck.expect(siret.utf8.count == 14 && siret.hasPrefix(identifier.siren), "SIRET \(siret) of SIREN \(identifier.siren)")
        }
    }

    /// A NAF code in the form `NN.NNX` that normalises to itself.
    static func checkNAFCode(_ text: String) {
        guard case .success(let code) = NAFCode.normalise(text) else { return }
        let bytes = Array(code.utf8)
        let shaped =
            bytes.count == 6 && bytes[2] == UInt8(ascii: ".") && bytes[5] &- 0x41 < 26
            && [0, 1, 3, 4].allSatisfy { bytes[$0] &- 0x30 < 10 }
        FuzzCheck.expect(shaped, "NAF code \(code)")
        FuzzCheck.equal(try? NAFCode.normalise(code).get(), code, "the NAF code normalised again")
    }

    /// A date that reads back from its ISO 8601 and French forms and from its components.
    static func checkDate(_ text: String) {
        guard let date = ValueParsers.date(text) else { return }
        FuzzCheck.equal(ValueParsers.date(date.iso8601), date, "the date read from \(date.iso8601)")
        FuzzCheck.equal(ValueParsers.date(date.french), date, "the date read from \(date.french)")
        FuzzCheck.equal(CivilDate(iso8601: date.iso8601), date, "the date read as ISO 8601 from \(date.iso8601)")
        let (year, month, day) = date.components
        FuzzCheck.equal(CivilDate(year: year, month: month, day: day), date, "the date from its components")
    }

    /// A suppression entry's canonical form is itself a suppression entry of the same kind and form.
    static func checkSuppressionEntry(_ text: String) {
        guard case .success(let (kind, canonical)) = SuppressionList.canonical(text) else { return }
        guard case .success(let (kindAgain, canonicalAgain)) = SuppressionList.canonical(canonical) else {
            fatalError("invariant broken: the canonical suppression entry \(canonical) of \(text) is refused")
        }
        FuzzCheck.equal(kindAgain, kind, "the kind of the canonical suppression entry \(canonical)")
        FuzzCheck.equal(canonicalAgain, canonical, "the canonical suppression entry normalised again")
    }

    /// A VAT number, an IBAN and a BIC each read back from the text they write.
    static func checkInvoicingIdentifiers(_ text: String) {
        if let vat = try? VATNumber(text) {
            FuzzCheck.equal(try? VATNumber(vat.text), vat, "the VAT number read back from \(vat.text)")
        }
        if let iban = try? IBAN(text) {
            FuzzCheck.equal(try? IBAN(iban.text), iban, "the IBAN read back from \(iban.text)")
            FuzzCheck.equal(try? IBAN(iban.grouped), iban, "the IBAN read back from \(iban.grouped)")
        }
        if let bic = try? BIC(text) {
            FuzzCheck.equal(try? BIC(bic.text), bic, "the BIC read back from \(bic.text)")
        }
    }
}
