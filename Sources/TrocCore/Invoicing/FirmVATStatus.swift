/// How a firm stands towards VAT, as it declares at registration.
public enum VATRegime: String, CaseIterable, Hashable, Sendable, Codable {
    /// VAT-registered in metropolitan France (20 %) or in another EU member state (invoiced under reverse charge).
    case registered
    /// Under the VAT franchise of CGI art. 293 B: charges no VAT and has no VAT number on its invoices.
    case franchise
    /// Established in an overseas department: 8.5 % in Guadeloupe, Martinique and La Réunion, no VAT in Guyane and Mayotte.
    case overseas
}

/// How a VAT number was checked: Troc cannot reach VIES, so the check is the number's own structure.
public enum VATNumberCheckMethod: String, Hashable, Sendable, Codable {
    /// A French number: 11 digits whose key matches the firm's SIREN.
    case syntaxAndKey = "syntax-and-key"
    /// The member state's format and its published check digits.
    case syntaxAndChecksum = "syntax-and-checksum"
    /// The member state's format only (Bulgaria, Czechia, Ireland, Latvia, Slovakia).
    case syntax
}

extension VATNumber {
    /// How far `VATNumber` checked this number.
    public var checkMethod: VATNumberCheckMethod {
        if memberState == .france { return .syntaxAndKey }
        return memberState.vatChecksumIsVerified ? .syntaxAndChecksum : .syntax
    }
}

/// A firm's checked VAT status: its regime, its declared VAT number if any, and the territory its address puts it in.
///
/// Built only through `init(regime:vatNumber:address:siren:)`, which refuses every inconsistency, so a status in hand is
/// one Troc can invoice: Troc never derives a VAT number from a SIREN (a VAT amount printed on an invoice is owed,
/// CGI art. 283-3).
public struct FirmVATStatus: Hashable, Sendable, Codable {
    /// The declared regime.
    public let regime: VATRegime
    /// The declared VAT number, normalised and checked; nil under the franchise and for some firms in Guyane and Mayotte.
    public let vatNumber: VATNumber?
    /// Where the address puts the firm.
    public let territory: VATTerritory

    /// Checks a declaration against the firm's address and SIREN, reporting every problem at once.
    public init(regime: VATRegime, vatNumber text: String?, address: PostalAddress, siren: String?) throws(VATStatusError) {
        var problems: [VATStatusProblem] = []
        var territory: VATTerritory?
        do {
            territory = try VATTerritory.of(address)
        } catch {
            problems.append(VATStatusProblem(field: error.field, code: "territory", detail: error.description))
        }
        var number: VATNumber?
        if let text = text?.trimmingSpaces, !text.isEmpty {
            do {
                number = try VATNumber(text)
            } catch {
                problems.append(VATStatusProblem(field: "vatNumber", code: "invalid", detail: error.description))
            }
        }
        if let territory {
            problems += Self.problems(regime: regime, vatNumber: number, declared: text?.trimmingSpaces.isEmpty == false, territory: territory)
        }
        if let number, let siren, let numberSIREN = number.frenchSIREN, numberSIREN != siren {
            problems.append(
                VATStatusProblem(
                    field: "vatNumber", code: "mismatch",
                    detail: "\(number) belongs to SIREN \(numberSIREN), not to this firm's SIREN \(siren); give the firm's own VAT number"))
        }
        guard problems.isEmpty, let territory else { throw VATStatusError(problems: problems) }
        self.regime = regime
        self.vatNumber = number
        self.territory = territory
    }

    /// The VAT status of the broker: registered where its address is, with its VAT number (settings already checked both).
    init(broker settings: BrokerInvoicingSettings) {
        let territory = (try? VATTerritory.of(settings.address)) ?? .metropolitanFrance
        if case .overseas = territory { regime = .overseas } else { regime = .registered }
        vatNumber = settings.vatNumber
        self.territory = territory
    }

    /// The problems of a regime declared in a territory, with or without a VAT number.
    private static func problems(regime: VATRegime, vatNumber: VATNumber?, declared: Bool, territory: VATTerritory) -> [VATStatusProblem] {
        var problems: [VATStatusProblem] = []
        func problem(_ field: String, _ code: String, _ detail: String) {
            problems.append(VATStatusProblem(field: field, code: code, detail: detail))
        }
        switch (regime, territory) {
        case (.registered, .overseas(let department)):
            let rate = department.standardRateBasisPoints.map { "the standard rate is \(FrenchText.percentage(basisPoints: $0)) % (CGI art. 296)" }
            problem(
                "vatStatus", "overseas-postcode",
                "the postcode is in \(department.name), where \(rate ?? "VAT does not apply (CGI art. 294-1)"), not the metropolitan 20 %; "
                    + "declare the status overseas")
        case (.registered, _), (.overseas, .overseas):
            let required: Bool
            if case .overseas(let department) = territory { required = department.appliesVAT } else { required = true }
            guard let vatNumber else {
                if required && !declared {
                    problem(
                        "vatNumber", "missing",
                        "a VAT-registered firm gives its VAT number (\(expectedPrefix(territory))…); Troc never derives one from a SIREN")
                }
                break
            }
            let expected: EUMemberState = if case .memberState(let state) = territory { state } else { .france }
            if vatNumber.memberState != expected {
                problem(
                    "vatNumber", "mismatch",
                    "\(vatNumber) is a VAT number of \(vatNumber.memberState.name) but the firm is established in \(territory)")
            }
        case (.overseas, _):
            problem(
                "vatStatus", "not-overseas",
                "the address is in \(territory), not in an overseas department (postcodes 971, 972, 973, 974, 976); declare the status registered"
                    + (territory.isFrench ? " or franchise" : ""))
        case (.franchise, .memberState(let state)):
            problem(
                "vatStatus", "franchise-abroad",
                "the franchise of CGI art. 293 B is French; a firm established in \(state.name) declares the status registered with its VAT number")
        case (.franchise, .overseas(let department)) where !department.appliesVAT:
            problem(
                "vatStatus", "no-vat-territory",
                "VAT does not apply in \(department.name) (CGI art. 294-1), so there is no franchise from it; declare the status overseas")
        case (.franchise, _):
            if declared {
                problem(
                    "vatNumber", "franchise-with-vat-number",
                    "a firm under the VAT franchise (CGI art. 293 B) charges no VAT and its invoices carry no VAT number; "
                        + "remove the VAT number, or declare the status registered if the firm now charges VAT")
            }
        }
        return problems
    }

    private static func expectedPrefix(_ territory: VATTerritory) -> String {
        if case .memberState(let state) = territory { return state.vatPrefix }
        return "FR"
    }
}

/// One thing wrong with a declared VAT status: the field, a stable code, and what to do.
public struct VATStatusProblem: Hashable, Sendable, CustomStringConvertible {
    /// `vatStatus`, `vatNumber`, `address.postcode` or `address.countryCode`.
    public let field: String
    /// A stable code: `franchise-with-vat-number`, `overseas-postcode`, `missing`…
    public let code: String
    /// What is wrong and what to do.
    public let detail: String

    public var description: String { "\(field): \(detail)" }
}

/// Everything wrong with a declared VAT status.
public struct VATStatusError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The problems, in the order found.
    public let problems: [VATStatusProblem]

    public var description: String { problems.map(\.description).joined(separator: "; ") }
}

extension VATTerritoryError {
    /// The address field the error is about.
    var field: String {
        switch self {
        case .outsideTheEU: "address.countryCode"
        case .invalidPostcode, .overseasCollectivity: "address.postcode"
        }
    }
}
