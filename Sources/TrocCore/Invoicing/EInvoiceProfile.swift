/// What the UBL and CII renderings share: the EN 16931 profile choices and the French CTC conventions.
enum EInvoiceProfile {
    /// BT-24: plain EN 16931, which the French CTC rules (BR-FR) build on.
    static let specification = "urn:cen.eu:en16931:2017"
    /// BT-23: French billing framework `S1`, an invoice for services (Troc sells prospect addresses and brokerage).
    static let businessProcess = "S1"
    /// ISO 6523 ICD of the SIREN, for legal registration identifiers (BT-30, BT-47, BT-61).
    static let sirenScheme = "0002"
    /// EAS code of the French e-invoicing directory address, which for a company is its SIREN (BT-34, BT-49).
    static let frenchDirectoryScheme = "0225"

    /// Scheme of the seller's tax registration identifier (BT-32), `FC`: the SIREN under which the tax office knows a
    /// seller without a VAT number.
    static let taxRegistrationScheme = "FC"

    /// Whether the parties' VAT identifiers go into the XML: not on a document not subject to VAT (BR-O-02).
    static func carriesVATNumbers(_ document: InvoiceDocument) -> Bool {
        !document.vatBreakdown.contains { $0.treatment.category == .notSubject }
    }

    /// Refuses documents the French rules cannot accept.
    static func check(_ document: InvoiceDocument) throws(EInvoiceError) {
        guard document.seller.siren != nil else { throw .sellerWithoutSIREN(document.number, seller: document.seller.name) }
    }

    /// The electronic address of a party (BT-34, BT-49): its SIREN in the French directory, else its VAT number
    /// under the EAS code of its member state.
    static func electronicAddress(of party: InvoiceParty) -> (scheme: String, identifier: String)? {
        if let siren = party.siren { return (frenchDirectoryScheme, siren) }
        guard let vatNumber = party.vatNumber else { return nil }
        return vatNumber.memberState.electronicAddress(for: vatNumber)
    }

    /// The note text as UBL carries it: `#PMT#text`, the French convention for subject codes in BT-22.
    static func ublNote(_ note: InvoiceNote) -> String { "#" + note.subjectCode + "#" + note.text }
}

extension EUMemberState {
    /// The EAS scheme and identifier under which a VAT number of this state is an electronic address.
    func electronicAddress(for vatNumber: VATNumber) -> (scheme: String, identifier: String) {
        switch self {
        case .austria: ("9914", vatNumber.text)
        case .belgium: ("9925", vatNumber.text)
        case .bulgaria: ("9926", vatNumber.text)
        case .cyprus: ("9928", vatNumber.text)
        case .czechia: ("9929", vatNumber.text)
        case .germany: ("9930", vatNumber.text)
        // Denmark, Finland, Italy and Sweden have no VAT-number EAS code; their registries' codes take the same number.
        case .denmark: ("0184", vatNumber.body)
        case .estonia: ("9931", vatNumber.text)
        case .spain: ("9920", vatNumber.text)
        case .finland: ("0213", vatNumber.text)
        case .france: ("9957", vatNumber.text)
        case .greece: ("9933", vatNumber.text)
        case .croatia: ("9934", vatNumber.text)
        case .hungary: ("9910", vatNumber.text)
        case .ireland: ("9935", vatNumber.text)
        case .italy: ("0211", vatNumber.text)
        case .lithuania: ("9937", vatNumber.text)
        case .luxembourg: ("9938", vatNumber.text)
        case .latvia: ("9939", vatNumber.text)
        case .malta: ("9943", vatNumber.text)
        case .netherlands: ("9944", vatNumber.text)
        case .poland: ("9945", vatNumber.text)
        case .portugal: ("9946", vatNumber.text)
        case .romania: ("9947", vatNumber.text)
        case .sweden: ("0007", String(vatNumber.body.prefix(10)))
        case .slovenia: ("9949", vatNumber.text)
        case .slovakia: ("9950", vatNumber.text)
        }
    }
}
