/// The broker's sales journal as a Fichier des Écritures Comptables (LPF art. A47 A-1).
///
/// Only the broker's own sales are booked: commission invoices and their credit notes. Exchange invoices are
/// the partners' sales, issued under mandate, and never the broker's revenue. Each document is one entry of
/// journal `VT` dated its issue date: customer `41100000` (auxiliary account `C` + SIREN, or + VAT number for
/// a customer without SIREN) against revenue `70600000` and output VAT `44571000` (no VAT line under reverse
/// charge); a credit note books the same lines on the opposite sides. Entries are numbered `VT000001`… in
/// the order of issue dates, then invoice numbers. The file is pure ASCII (accents transliterated), so it reads
/// the same as ASCII, ISO 8859-15 or UTF-8, with TAB separators and CRLF line ends, like the reference example.
public enum FECExport {
    /// The 18 column names, in the order A47 A-1 prescribes.
    public static let columns = [
        "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum", "CompAuxLib", "PieceRef",
        "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet", "ValidDate", "Montantdevise", "Idevise",
    ]

    /// `<SIREN>FEC<closing date AAAAMMJJ>.txt`, the name the administration expects.
    public static func fileName(siren: String, closingDate: CivilDate) -> String { siren + "FEC" + closingDate.compact + ".txt" }

    /// The FEC of the commission invoices and credit notes issued within `period`; a header line alone when
    /// there are none, which is a valid empty FEC.
    public static func render(_ documents: [InvoiceDocument], period: ClosedRange<CivilDate>) -> String {
        let booked = documents.filter { $0.purpose == .commission && period.contains($0.issueDate) }
            .sorted { ($0.issueDate, $0.number) < ($1.issueDate, $1.number) }
        var lines = [columns.joined(separator: "\t")]
        for (index, document) in booked.enumerated() {
            let entry = Entry(document: document, number: index + 1)
            let sign = document.kind.sign
            lines.append(entry.line(account: "41100000", label: "Clients", auxiliary: true, amount: document.totals.gross, debitSign: sign))
            lines.append(
                entry.line(account: "70600000", label: "Prestations de services", auxiliary: false, amount: document.totals.net, debitSign: -sign))
            if document.totals.vat != .zero {
                lines.append(entry.line(account: "44571000", label: "TVA collectee", auxiliary: false, amount: document.totals.vat, debitSign: -sign))
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The fields one document's entry shares across its lines.
    private struct Entry {
        let document: InvoiceDocument
        let number: Int

        /// One line; `debitSign` +1 puts `amount` in Debit, −1 in Credit.
        func line(account: String, label: String, auxiliary: Bool, amount: Money, debitSign: Int64) -> String {
            let digits = String(number)
            let date = document.issueDate.compact
            let pieceLabel = (document.kind == .invoice ? "Facture " : "Avoir ") + document.number.text + " " + document.buyer.name
            let fields = [
                "VT", "Journal des ventes", "VT" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits, date, account, label,
                auxiliary ? "C" + FECExport.ascii(document.buyer.stableIdentifier) : "", auxiliary ? FECExport.ascii(document.buyer.name) : "",
                document.number.text, date, FECExport.ascii(pieceLabel), debitSign > 0 ? amount.fecString : Money.zero.fecString,
                debitSign > 0 ? Money.zero.fecString : amount.fecString, "", "", date, "", "",
            ]
            return fields.joined(separator: "\t")
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
