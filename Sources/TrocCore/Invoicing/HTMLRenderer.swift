/// Renders an issued document as a printable French HTML page (A4) carrying every mandatory mention of
/// CGI ann. II art. 242 nonies A and C. com. L441-9.
public enum HTMLRenderer {
    /// A complete HTML5 page with inline CSS and all text escaped.
    public static func render(_ document: InvoiceDocument) -> String {
        let isInvoice = document.kind == .invoice
        let title = (isInvoice ? "Facture" : "Avoir") + " n° " + document.number.text
        var html = """
            <!DOCTYPE html>
            <html lang="fr">
            <head>
            <meta charset="utf-8">
            <title>\(escape(title))</title>
            <style>
            @page { size: A4; margin: 15mm; }
            body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 10pt; color: #111; margin: 0; }
            main { max-width: 180mm; margin: 0 auto; }
            h1 { font-size: 17pt; margin: 0 0 3mm; }
            h2 { font-size: 10pt; text-transform: uppercase; letter-spacing: .05em; margin: 0 0 2mm; color: #444; }
            .facts, .notice { margin: 0 0 4mm; }
            .notice { border-left: 3px solid #111; padding: 1mm 3mm; font-weight: bold; }
            .parties { display: flex; gap: 8mm; margin: 0 0 5mm; }
            .party { flex: 1; border: 1px solid #999; padding: 3mm; }
            table { width: 100%; border-collapse: collapse; margin: 0 0 4mm; page-break-inside: avoid; }
            th, td { border: 1px solid #999; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }
            th { background: #eee; }
            .num { text-align: right; white-space: nowrap; }
            table.totals { width: 55%; margin-left: auto; }
            table.totals tr.payable { font-weight: bold; }
            .mentions { font-size: 8.5pt; color: #333; }
            @media print { main { max-width: none; } }
            </style>
            </head>
            <body>
            <main>

            """
        html += "<h1>\(escape(title))</h1>\n<p class=\"facts\">"
        html += "Date d'émission : \(document.issueDate.french)<br>\n"
        html += "Date de la prestation : \(document.deliveryDate.french)<br>\n"
        html += "Date d'échéance : \(document.dueDate.french)<br>\n"
        html += "Catégorie d'opération : Prestation de services<br>\n"
        html += "Référence de l'échange : \(escape(document.dealID))</p>\n"
        if let mandate = document.billingMandate { html += "<p class=\"notice\">\(escape(mandate.mention))</p>\n" }
        if let preceding = document.precedingInvoice {
            html += "<p class=\"notice\">Avoir total de la facture n° \(escape(preceding.number.text)) du \(preceding.issueDate.french)"
            html += document.creditReason.map { ". Motif : " + escape($0) } ?? ""
            html += "</p>\n"
        }
        html += "<section class=\"parties\">\n"
        html += party("Vendeur", document.seller) + party("Acheteur", document.buyer)
        html += "</section>\n"
        html += lines(document) + vat(document) + totals(document)
        for category in Set(document.vatBreakdown.map(\.treatment.category)).sorted(by: { $0.rawValue < $1.rawValue }) {
            switch category {
            case .reverseCharge:
                html += "<p class=\"notice\">Autoliquidation : la TVA est due par le preneur (article 196 de la directive 2006/112/CE).</p>\n"
            case .exempt:
                html += "<p class=\"notice\">TVA non applicable, art. 293 B du CGI : le vendeur bénéficie de la franchise en base de TVA.</p>\n"
            case .notSubject:
                html += "<p class=\"notice\">TVA non applicable, art. 294-1 du CGI : le service est fourni en Guyane ou à Mayotte, "
                html += "où la TVA ne s'applique pas.</p>\n"
            case .standard:
                break
            }
        }
        html += payment(document) + mentions(document)
        html += "</main>\n</body>\n</html>\n"
        return html
    }

    private static func party(_ role: String, _ party: InvoiceParty) -> String {
        var html = "<div class=\"party\">\n<h2>\(role)</h2>\n<p><strong>\(escape(party.name))</strong><br>\n"
        html += escape(party.address.street) + "<br>\n" + escape(party.address.postcode + " " + party.address.city) + "<br>\n"
        html += escape(party.address.overseasDepartment.map { $0.name + ", " } ?? "") + escape(party.address.countryCode) + "</p>\n<p>"
        if let siren = party.siren { html += "SIREN : \(escape(siren))<br>\n" }
        if let registrationID = party.foreignRegistrationID { html += "Immatriculation : \(escape(registrationID))<br>\n" }
        if let vatNumber = party.vatNumber { html += "N° TVA intracommunautaire : \(escape(vatNumber.text))" }
        return html + "</p>\n</div>\n"
    }

    private static func lines(_ document: InvoiceDocument) -> String {
        var html = "<table class=\"lines\">\n<thead><tr><th>Désignation</th><th class=\"num\">Quantité</th>"
        html += "<th class=\"num\">Prix unitaire HT</th><th class=\"num\">TVA</th><th class=\"num\">Montant HT</th></tr></thead>\n<tbody>\n"
        for line in document.lines {
            let price = line.unitPrice.frenchString + (line.baseQuantity == 1 ? "" : " les " + FrenchText.grouped(line.baseQuantity))
            html += "<tr><td>\(escape(line.description))</td><td class=\"num\">\(FrenchText.grouped(line.quantity))</td>"
            html += "<td class=\"num\">\(price)</td><td class=\"num\">\(rate(line.vat))</td><td class=\"num\">\(line.net.frenchString)</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    private static func vat(_ document: InvoiceDocument) -> String {
        var html = "<table class=\"vat\">\n<thead><tr><th>TVA</th><th class=\"num\">Base HT</th><th class=\"num\">Taux</th>"
        html += "<th class=\"num\">Montant TVA</th></tr></thead>\n<tbody>\n"
        for entry in document.vatBreakdown {
            let label = entry.treatment.exemptionReason ?? "TVA au taux normal"
            html += "<tr><td>\(escape(label))</td><td class=\"num\">\(entry.taxableAmount.frenchString)</td>"
            html += "<td class=\"num\">\(rate(entry.treatment))</td><td class=\"num\">\(entry.taxAmount.frenchString)</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    private static func totals(_ document: InvoiceDocument) -> String {
        let payable = document.kind == .invoice ? "Net à payer" : "Montant de l'avoir"
        var html = "<table class=\"totals\">\n"
        html += "<tr><th>Total HT</th><td class=\"num\">\(document.totals.net.frenchString)</td></tr>\n"
        html += "<tr><th>Total TVA</th><td class=\"num\">\(document.totals.vat.frenchString)</td></tr>\n"
        html += "<tr><th>Total TTC</th><td class=\"num\">\(document.totals.gross.frenchString)</td></tr>\n"
        html += "<tr class=\"payable\"><th>\(escape(payable))</th><td class=\"num\">\(document.totals.payable.frenchString)</td></tr>\n"
        return html + "</table>\n"
    }

    private static func payment(_ document: InvoiceDocument) -> String {
        var html = "<section class=\"payment\">\n<h2>Règlement</h2>\n<p>\(escape(document.paymentTermsText))<br>\n"
        // A credit note is owed to the buyer: printing the seller's account would invite a payment the wrong way.
        if document.kind == .invoice {
            let holder = document.payment.payee?.name ?? document.seller.name
            html += "Virement à : \(escape(holder))<br>\nIBAN : \(document.payment.iban.grouped)<br>\nBIC : \(document.payment.bic.text)<br>\n"
        }
        html += "Référence à rappeler : \(document.number.text)</p>\n</section>\n"
        return html
    }

    private static func mentions(_ document: InvoiceDocument) -> String {
        let printed = document.notes.filter { ["PMT", "PMD", "AAB"].contains($0.subjectCode) }.map { escape($0.text) + "." }
        return "<section class=\"mentions\">\n<p>" + printed.joined(separator: "<br>\n") + "</p>\n</section>\n"
    }

    private static func rate(_ treatment: VATTreatment) -> String { treatment.frenchRate.replacingAll("\u{00A0}", with: " ") }

    /// `text` safe in HTML element content and quoted attribute values.
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
