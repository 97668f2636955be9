/// Renders issued documents as CSV for spreadsheets: UTF-8 (no BOM), `;` separator, CRLF line ends,
/// RFC 4180 quoting, one row per invoice line.
///
/// Columns, in order (`CSVRenderer.header`): invoice_number; type_code (380/381); kind (invoice/creditNote);
/// purpose (exchange/commission); issue_date, due_date, delivery_date (yyyy-mm-dd); deal_id; seller_name;
/// seller_siren; seller_vat; buyer_name; buyer_siren; buyer_vat; issued_under_mandate_by (the broker, for
/// exchange invoices); line_number; description; quantity; unit_code; base_quantity; unit_price; line_net;
/// vat_category (S/AE); vat_rate (percent); invoice_net; invoice_vat; invoice_gross; amount_payable; currency;
/// preceding_invoice; preceding_invoice_date. Amounts are decimals with a dot, as on the document: positive
/// on credit notes too, whose type code says they are owed back.
public enum CSVRenderer {
    /// The header row's column names.
    public static let header = [
        "invoice_number", "type_code", "kind", "purpose", "issue_date", "due_date", "delivery_date", "deal_id", "seller_name", "seller_siren",
        "seller_vat", "buyer_name", "buyer_siren", "buyer_vat", "issued_under_mandate_by", "line_number", "description", "quantity", "unit_code",
        "base_quantity", "unit_price", "line_net", "vat_category", "vat_rate", "invoice_net", "invoice_vat", "invoice_gross", "amount_payable",
        "currency", "preceding_invoice", "preceding_invoice_date",
    ]

    /// The header and a row per line of each document, in the order given.
    public static func render(_ documents: [InvoiceDocument]) -> String {
        var rows = [header.joined(separator: ";")]
        for document in documents {
            for line in document.lines {
                let fields: [(String, isText: Bool)] = [
                    (document.number.text, false), (document.kind.typeCode, false), (document.kind.rawValue, false),
                    (document.purpose.rawValue, false), (document.issueDate.iso8601, false), (document.dueDate.iso8601, false),
                    (document.deliveryDate.iso8601, false), (document.dealID, true), (document.seller.name, true),
                    (document.seller.siren ?? "", false), (document.seller.vatNumber?.text ?? "", false), (document.buyer.name, true),
                    (document.buyer.siren ?? "", false), (document.buyer.vatNumber?.text ?? "", false),
                    (document.billingMandate?.issuerName ?? "", true), (String(line.number), false), (line.description, true),
                    (String(line.quantity), false), (line.unitCode, false), (String(line.baseQuantity), false),
                    (line.unitPrice.decimalString, false), (line.net.decimalString, false), (line.vat.category.rawValue, false),
                    (FrenchText.xmlPercentage(basisPoints: line.vat.rateBasisPoints), false), (document.totals.net.decimalString, false),
                    (document.totals.vat.decimalString, false), (document.totals.gross.decimalString, false),
                    (document.totals.payable.decimalString, false), (document.currencyCode, false),
                    (document.precedingInvoice?.number.text ?? "", false), (document.precedingInvoice?.issueDate.iso8601 ?? "", false),
                ]
                rows.append(fields.map { field($0.0, isText: $0.isText) }.joined(separator: ";"))
            }
        }
        return rows.joined(separator: "\r\n") + "\r\n"
    }

    /// One field, quoted when it holds a separator, a quote or a line break; free text that a spreadsheet would
    /// run as a formula gets a leading apostrophe (`SpreadsheetCell`), the usual guard against CSV injection.
    static func field(_ value: String, isText: Bool) -> String {
        let value = isText ? SpreadsheetCell.neutralised(value) : value
        guard value.contains(where: { $0 == ";" || $0 == "\"" || $0.isNewline }) else { return value }
        return "\"" + value.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension String {
    /// This text with every `target` character replaced by `replacement`.
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self { if character == target { result += replacement } else { result.append(character) } }
        return result
    }
}
