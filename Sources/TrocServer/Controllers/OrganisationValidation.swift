import Foundation
package import TrocCore
package import TrocStore

/// The checks of `POST /v1/organisations`, all in TrocCore: SIREN/SIRET check digits, the VAT status with the VAT
/// number and its key, the bank account, the NAF code (rév. 2 or NAF 2025) and its sector, the address. Every problem is
/// reported at once.
package enum OrganisationValidation {
    /// A storable organisation from the request, or the list of what is wrong. A partner firm declares its VAT status and
    /// bank account; the broker's own VAT number is checked against its SIREN when given. No VAT number is ever derived.
    package static func validate(_ new: NewOrganisation, sectors: SectorRules, kind: OrganisationKind = .partner) throws -> OrganisationDraft {
        var problems: [FieldProblem] = []
        func problem(_ field: String, _ code: String, _ detail: String) { problems.append(FieldProblem(field: field, code: code, detail: detail)) }

        let name = new.name.trimmed
        if name.isEmpty || name.count > 200 { problem("name", "invalid", "the legal name must have 1 to 200 characters") }
        let country = new.address.countryCode.trimmed.uppercased()
        let street = new.address.street.trimmed
        let postcode = new.address.postcode.trimmed
        let city = new.address.city.trimmed
        if street.isEmpty { problem("address.street", "missing", "the street address is required (it is printed on invoices)") }
        if city.isEmpty { problem("address.city", "missing", "the city is required") }
        if country.count != 2 || !country.allSatisfy({ $0.isASCII && $0.isLetter }) {
            problem("address.countryCode", "invalid", "use the ISO 3166-1 alpha-2 code, such as FR")
        } else if country != "FR" && EUMemberState(isoCode: country) == nil {
            problem("address.countryCode", "unsupported", "Troc serves firms established in France or another EU member state")
        }
        if country == "FR" && (postcode.count != 5 || !postcode.allSatisfy(\.isNumber)) {
            problem("address.postcode", "invalid", "a French postcode has 5 digits")
        }

        var siren = new.siren.map(\.trimmed).flatMap { $0.isEmpty ? nil : $0 }
        var siret: String?
        if let text = siren {
            switch CompanyIdentifier.parse(text) {
            case .success(.siren(let digits)): siren = digits
            case .success(.siret): problem("siren", "invalid", "\(text) has 14 digits: that is a SIRET, send it as siret")
            case .failure(let reason): problem("siren", reason.rawValue, reason.explanation)
            }
        }
        if let text = new.siret.map(\.trimmed), !text.isEmpty {
            switch CompanyIdentifier.parse(text) {
            case .success(.siret(let digits)):
                siret = digits
                if let siren, siren != String(digits.prefix(9)) {
                    problem("siret", "mismatch", "the SIRET \(digits) does not start with the SIREN \(siren)")
                }
                siren = siren ?? String(digits.prefix(9))
            case .success(.siren): problem("siret", "invalid", "\(text) has 9 digits: that is a SIREN, send it as siren")
            case .failure(let reason): problem("siret", reason.rawValue, reason.explanation)
            }
        }
        if country == "FR" && siren == nil && !problems.contains(where: { $0.field == "siren" || $0.field == "siret" }) {
            problem("siren", "missing", "a French firm needs its SIREN (or SIRET)")
        }

        var vatNumber: String?
        var vatStatus: FirmVATStatus?
        var bankAccount: BankAccount?
        let declaredNumber = new.vatNumber.map(\.trimmed).flatMap { $0.isEmpty ? nil : $0 }
        switch (kind, new.vatStatus) {
        case (.partner, nil):
            problem(
                "vatStatus", "missing",
                "declare the firm's VAT status: registered (with its own VAT number), franchise (CGI art. 293 B, no VAT) or overseas "
                    + "(Guadeloupe, Martinique, La Réunion at 8.5 %; Guyane and Mayotte without VAT)")
        case (.partner, let regime?):
            // A problem already reported on the SIREN or the address would only be repeated by the status check.
            let addressOK = !problems.contains { $0.field.hasPrefix("address") }
            let sirenOK = !problems.contains { $0.field == "siren" || $0.field == "siret" }
            do {
                let status = try FirmVATStatus(
                    regime: regime, vatNumber: declaredNumber,
                    address: PostalAddress(street: street, postcode: postcode, city: city, countryCode: country),
                    siren: sirenOK ? siren : nil)
                vatStatus = status
                vatNumber = status.vatNumber?.text
            } catch {
                for found in error.problems where addressOK || !found.field.hasPrefix("address") {
                    problem(found.field, found.code, found.detail)
                }
            }
        case (.broker, _):
            if let declaredNumber {
                do {
                    let vat = try VATNumber(declaredNumber)
                    if let siren, let vatSIREN = vat.frenchSIREN, vatSIREN != siren {
                        problem("vatNumber", "mismatch", "\(vat.text) belongs to SIREN \(vatSIREN), not \(siren)")
                    }
                    vatNumber = vat.text
                } catch {
                    problem("vatNumber", "invalid", error.description)
                }
            }
        }
        if kind == .partner {
            if let input = new.bankAccount {
                do {
                    bankAccount = try BankAccount(iban: input.iban, bic: input.bic)
                } catch {
                    for found in error.problems { problem("bankAccount." + found.field, "invalid", found.error.description) }
                }
            } else {
                problem("bankAccount", "missing", "give the IBAN and BIC the firm is paid into: by default its buyers pay it directly")
            }
        }

        var naf: NAFSubclass?
        switch try recognisedNAF(new.nafCode, nomenclature: new.nafNomenclature, sectors: sectors) {
        case .success(let subclass): naf = subclass
        case .failure(let error): problem("nafCode", error.code, error.description)
        }

        guard problems.isEmpty, let naf else { throw ValidationFailure(subject: "organisation", code: "organisation.invalid", fields: problems) }
        var draft = OrganisationDraft(
            kind: kind, name: name, siren: siren, siret: siret, vatNumber: vatNumber, nafCode: naf.code, nafNomenclature: naf.nomenclature,
            street: street, postcode: postcode, city: city, countryCode: country)
        draft.vatStatus = vatStatus
        draft.bankAccount = bankAccount
        return draft
    }

    /// The firm's NAF sub-class from its APE code in either nomenclature; a confidential sector is refused outright.
    package static func recognisedNAF(
        _ text: String, nomenclature: NAFNomenclature?, sectors: SectorRules
    ) throws(SectorRefusal) -> Result<NAFSubclass, NAFCodeError> {
        let recognised = NAFCode.recognise(text, nomenclature: nomenclature, reference: sectors.reference)
        if case .success(let subclass) = recognised, let refusal = sectors.refusal(of: subclass.code, in: subclass.nomenclature),
            case .confidential = refusal
        {
            throw refusal
        }
        return recognised
    }
}

extension String {
    /// Without leading and trailing white space.
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
