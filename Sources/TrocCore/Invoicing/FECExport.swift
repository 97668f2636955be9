/// The broker's books for one financial year as a Fichier des Écritures Comptables (LPF art. A47 A-1).
///
/// - Journal `VT`: the broker's own sales, commission invoices and their credit notes. Each is one entry dated its issue
///   date: customer `41100000` (auxiliary account `C` + SIREN, or + VAT number for a customer without SIREN) against
///   revenue `70600000` and output VAT `44571000` (no VAT line when the invoice bears none).
/// - Exchange invoices are the partners' sales, issued under mandate, never the broker's revenue. When the broker collects
///   their payment for the sellers (the invoice names the broker as payee), journal `MD` books each one at its issue date
///   between third-party accounts `46700000`: the buyer (auxiliary `T` + identifier) owes, the seller is owed; journal
///   `BQ` books the money the broker received (`51200000` against the debtor's account) and paid out (the creditor's
///   account against `51200000`), as recorded from the bank statement. When each firm pays the other directly nothing
///   passes through the broker's books.
/// - A credit note books the same lines on the opposite sides. Entries are numbered per journal (`VT000001`…) in the
///   order of dates, then pieces. The file is pure ASCII (accents transliterated), so it reads the same as ASCII,
///   ISO 8859-15 or UTF-8, with TAB separators and CRLF line ends, like the reference example.
public enum FECExport {
    /// The 18 column names, in the order A47 A-1 prescribes.
    public static let columns = [
        "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum", "CompAuxLib", "PieceRef",
        "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet", "ValidDate", "Montantdevise", "Idevise",
    ]

    /// `<SIREN>FEC<closing date AAAAMMJJ>.txt`, the name the administration expects.
    public static func fileName(siren: String, closingDate: CivilDate) -> String { siren + "FEC" + closingDate.compact + ".txt" }

    /// The FEC of the documents issued and the payments made within `period`; a header line alone when there are none,
    /// which is a valid empty FEC.
    public static func render(_ documents: [InvoiceDocument], payments: [SettlementPayment] = [], period: ClosedRange<CivilDate>) -> String {
        var entries: [Entry] = []
        for document in documents where period.contains(document.issueDate) {
            if let entry = sale(document) ?? mandate(document) { entries.append(entry) }
        }
        entries += payments.filter { period.contains($0.date) }.map(bank)
        entries.sort { ($0.date, $0.journal.order, $0.piece) < ($1.date, $1.journal.order, $1.piece) }
        var lines = [columns.joined(separator: "\t")]
        var numbers: [String: Int] = [:]
        for entry in entries {
            let number = (numbers[entry.journal.code] ?? 0) + 1
            numbers[entry.journal.code] = number
            lines += entry.rows(number: number)
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The sales entry of a commission invoice or credit note.
    private static func sale(_ document: InvoiceDocument) -> Entry? {
        guard document.purpose == .commission else { return nil }
        let sign = document.kind.sign
        let buyer = Account.auxiliary("41100000", "Clients", prefix: "C", document.buyer)
        var lines = [
            Line(account: buyer, amount: document.totals.gross, debitSign: sign),
            Line(account: Account(number: "70600000", label: "Prestations de services"), amount: document.totals.net, debitSign: -sign),
        ]
        if document.totals.vat != .zero {
            lines.append(Line(account: Account(number: "44571000", label: "TVA collectee"), amount: document.totals.vat, debitSign: -sign))
        }
        return Entry(
            journal: .sales, date: document.issueDate, piece: document.number.text, label: pieceLabel(document, party: document.buyer), lines: lines)
    }

    /// The third-party entry of an exchange invoice whose payment the broker collects.
    private static func mandate(_ document: InvoiceDocument) -> Entry? {
        guard document.purpose == .exchange, document.payment.payee != nil else { return nil }
        let sign = document.kind.sign
        let lines = [
            Line(account: .auxiliary("46700000", "Tiers mandants", prefix: "T", document.buyer), amount: document.totals.payable, debitSign: sign),
            Line(account: .auxiliary("46700000", "Tiers mandants", prefix: "T", document.seller), amount: document.totals.payable, debitSign: -sign),
        ]
        return Entry(
            journal: .mandates, date: document.issueDate, piece: document.number.text,
            label: pieceLabel(document, party: document.seller) + " pour " + document.buyer.name, lines: lines)
    }

    /// The bank entry of money collected or paid out for a firm.
    private static func bank(_ payment: SettlementPayment) -> Entry {
        let counterparty = Account(
            number: "46700000", label: "Tiers mandants", auxiliaryNumber: "T" + ascii(payment.counterpartyID),
            auxiliaryLabel: ascii(payment.counterparty))
        let bank = Account(number: "51200000", label: "Banque")
        let received = payment.direction == .received
        let label = (received ? "Encaissement " : "Reversement ") + payment.reference + " " + payment.counterparty + " echange " + payment.dealID
        return Entry(
            journal: .bank, date: payment.date, piece: payment.reference, label: label,
            lines: [
                Line(account: received ? bank : counterparty, amount: payment.amount, debitSign: 1),
                Line(account: received ? counterparty : bank, amount: payment.amount, debitSign: -1),
            ])
    }

    private static func pieceLabel(_ document: InvoiceDocument, party: InvoiceParty) -> String {
        (document.kind == .invoice ? "Facture " : "Avoir ") + document.number.text + " " + party.name
    }

    /// A journal of the FEC, in the order its entries come on a given day.
    private enum Journal {
        case sales, mandates, bank

        var code: String {
            switch self {
            case .sales: "VT"
            case .mandates: "MD"
            case .bank: "BQ"
            }
        }

        var label: String {
            switch self {
            case .sales: "Journal des ventes"
            case .mandates: "Operations pour compte de tiers"
            case .bank: "Banque"
            }
        }

        var order: Int {
            switch self {
            case .sales: 0
            case .mandates: 1
            case .bank: 2
            }
        }
    }

    /// An account, with its auxiliary account for a third party.
    private struct Account {
        var number: String
        var label: String
        var auxiliaryNumber = ""
        var auxiliaryLabel = ""

        /// The auxiliary account of `party` under `number`: `prefix` + its SIREN (or VAT number).
        static func auxiliary(_ number: String, _ label: String, prefix: String, _ party: InvoiceParty) -> Account {
            Account(
                number: number, label: label, auxiliaryNumber: prefix + FECExport.ascii(party.stableIdentifier),
                auxiliaryLabel: FECExport.ascii(party.name))
        }
    }

    /// One line; `debitSign` +1 puts `amount` in Debit, −1 in Credit.
    private struct Line {
        var account: Account
        var amount: Money
        var debitSign: Int64
    }

    /// One balanced entry: a piece in a journal on a date.
    private struct Entry {
        let journal: Journal
        let date: CivilDate
        let piece: String
        let label: String
        let lines: [Line]

        func rows(number: Int) -> [String] {
            let digits = String(number)
            let date = self.date.compact
            return lines.map { line in
                [
                    journal.code, journal.label, journal.code + String(repeating: "0", count: max(0, 6 - digits.count)) + digits, date,
                    line.account.number, line.account.label, line.account.auxiliaryNumber, line.account.auxiliaryLabel, FECExport.ascii(piece), date,
                    FECExport.ascii(label), line.debitSign > 0 ? line.amount.fecString : Money.zero.fecString,
                    line.debitSign > 0 ? Money.zero.fecString : line.amount.fecString, "", "", date, "", "",
                ].joined(separator: "\t")
            }
        }
    }

    /// `text` in printable ASCII: accented Latin letters lose their accents, typographic punctuation becomes
    /// its ASCII look-alike, TAB, CR, LF and other controls become spaces (they would split fields or lines),
    /// anything else becomes `?`.
    static func ascii(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x20..<0x7F: result.unicodeScalars.append(scalar)
            case 0..<0x20, 0x7F, 0xA0, 0x2007, 0x202F: result += " "
            case 0xC0..<0x180:
                let base = latinBases[Int(scalar.value - 0xC0)]
                result += base == "?" ? latinLigatures[scalar] ?? "?" : String(base)
            case 0x2018, 0x2019: result += "'"
            case 0x201C, 0x201D, 0xAB, 0xBB: result += "\""
            case 0x2013, 0x2014: result += "-"
            case 0x20AC: result += "EUR"
            default: result += "?"
            }
        }
        return result
    }

    /// The ASCII base letter of U+00C0…U+017F (Latin-1 Supplement letters and Latin Extended-A), `?` where
    /// there is none or it takes two letters.
    private static let latinBases = Array(
        "AAAAAA?CEEEEIIIIDNOOOOOxOUUUUY??aaaaaa?ceeeeiiiidnooooo/ouuuuy?yAaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi??JjKkkLlLlLlLlLlNnNnNnnNnOoOoOo??RrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs"
    )

    /// The letters of that range that transliterate to two ASCII letters.
    private static let latinLigatures: [Unicode.Scalar: String] = [
        "Æ": "AE", "æ": "ae", "Þ": "TH", "þ": "th", "ß": "ss", "Ĳ": "IJ", "ĳ": "ij", "Œ": "OE", "œ": "oe",
    ]
}
