import TrocCore
import TrocPDF

/// Lays an invoice or credit note out on A4 pages the way a French accountant reads one: title, number and dates;
/// both parties' identities; the mandate and credit notices; the lines; the VAT per rate and the totals; how and
/// where to pay; the legal mentions; on every page a footer with the seller's identity and, when there are
/// several pages, the page number. Lines flow onto as many pages as they need, the table header repeated.
///
/// Blocks are drawn top to bottom from a cursor; each block asks for the height it needs and starts a new page
/// when the current one lacks it, so a block added later (a mandate reference, a seller's own account) only has
/// to measure itself.
struct InvoicePageLayout {
    private enum Alignment {
        case left, right
    }

    private struct Column {
        var title: String
        var width: Double
        var alignment: Alignment
    }

    static let pageWidth = 595.276
    static let pageHeight = 841.89
    static let margin = 42.5
    /// Lowest point a block may reach; the footer lives below.
    static let bottom = 64.0
    static let contentWidth = pageWidth - 2 * margin

    static let ink = PDFA3Document.Color(hex: 0x1C1F24)
    static let muted = PDFA3Document.Color(hex: 0x5B6472)
    static let accent = PDFA3Document.Color(hex: 0x1F3A5F)
    static let tint = PDFA3Document.Color(hex: 0xEBF0F6)
    static let rule = PDFA3Document.Color(hex: 0xC3CBD6)
    static let white = PDFA3Document.Color(hex: 0xFFFFFF)

    private let regular: PDFA3Document.FontID = 0
    private let bold: PDFA3Document.FontID = 1
    private let document: InvoiceDocument
    private var pdf: PDFA3Document
    private var y = 0.0

    /// A layout of `document` in Liberation Sans regular and bold.
    init(document: InvoiceDocument, resources: FacturXResources) {
        self.document = document
        pdf = PDFA3Document(fonts: [
            EmbeddedFont(program: resources.regular, postScriptName: "LiberationSans"),
            EmbeddedFont(program: resources.bold, postScriptName: "LiberationSans-Bold"),
        ])
    }

    private var isInvoice: Bool { document.kind == .invoice }
    private var title: String { isInvoice ? "FACTURE" : "AVOIR" }

    /// The laid-out document, ready to be written.
    mutating func render() -> PDFA3Document {
        pdf.addPage(width: Self.pageWidth, height: Self.pageHeight)
        y = Self.pageHeight - Self.margin
        heading()
        parties()
        notices()
        lines()
        summary()
        payment()
        mentions()
        footers()
        return pdf
    }

    // MARK: Blocks

    private mutating func heading() {
        text(title, x: Self.margin, baseline: y - 22, font: bold, size: 24, color: Self.accent)
        text("N° " + document.number.text, x: Self.margin, baseline: y - 40, font: bold, size: 11.5, color: Self.ink)
        var facts: [(String, String)] = [
            ("Date d'émission", document.issueDate.french), ("Date de la prestation", document.deliveryDate.french),
        ]
        if isInvoice { facts.append(("Date d'échéance", document.dueDate.french)) }
        facts.append(("Référence de l'échange", document.dealID))
        facts.append(("Catégorie d'opération", "Prestation de services"))
        let labelWidth = 112.0
        let boxWidth = 250.0
        let left = Self.pageWidth - Self.margin - boxWidth
        let rowHeight = 13.0
        let boxHeight = Double(facts.count) * rowHeight + 10
        pdf.fillRectangle(x: left, y: y - boxHeight, width: boxWidth, height: boxHeight, color: Self.tint)
        for (index, (label, value)) in facts.enumerated() {
            let baseline = y - 14 - Double(index) * rowHeight
            text(label, x: left + 9, baseline: baseline, font: regular, size: 8, color: Self.muted)
            text(value, x: left + 9 + labelWidth, baseline: baseline, font: bold, size: 9, color: Self.ink)
        }
        y -= max(boxHeight, 48) + 18
    }

    private mutating func parties() {
        let gap = 16.0
        let width = (Self.contentWidth - gap) / 2
        let seller = (wrap(document.seller.name, font: bold, size: 10, width: width), identity(of: document.seller))
        let buyer = (wrap(document.buyer.name, font: bold, size: 10, width: width), identity(of: document.buyer))
        let height = 18 + Double(max(seller.0.count + seller.1.count, buyer.0.count + buyer.1.count)) * 12 + 4
        box("VENDEUR", name: seller.0, lines: seller.1, x: Self.margin, width: width, height: height)
        box("CLIENT", name: buyer.0, lines: buyer.1, x: Self.margin + width + gap, width: width, height: height)
        y -= height + 14
    }

    private mutating func box(_ label: String, name: [String], lines: [String], x: Double, width: Double, height: Double) {
        pdf.line(from: (x, y), to: (x + width, y), width: 1.5, color: Self.accent)
        text(label, x: x, baseline: y - 11, font: bold, size: 7.5, color: Self.muted)
        var baseline = y - 25
        for line in name {
            text(line, x: x, baseline: baseline, font: bold, size: 10, color: Self.ink)
            baseline -= 12
        }
        for line in lines {
            text(line, x: x, baseline: baseline, font: regular, size: 8.5, color: Self.ink)
            baseline -= 12
        }
        pdf.line(from: (x, y - height), to: (x + width, y - height), width: 0.5, color: Self.rule)
    }

    /// Address, country and identifiers of a party, one line each.
    private func identity(of party: InvoiceParty) -> [String] {
        var lines = [party.address.street, party.address.postcode + " " + party.address.city]
        lines.append(
            party.address.overseasDepartment.map { $0.name + ", France" } ?? party.address.memberState?.frenchName ?? party.address.countryCode)
        if let siren = party.siren { lines.append("SIREN : " + Self.spaced(siren)) }
        if let registration = party.foreignRegistrationID { lines.append("Immatriculation : " + registration) }
        if let vatNumber = party.vatNumber { lines.append("N° TVA intracommunautaire : " + vatNumber.text) }
        return lines
    }

    /// The mandate under which the invoice is issued and, for a credit note, the invoice it cancels and why.
    private mutating func notices() {
        let texts = document.notes.filter { ["REG", "ACD"].contains($0.subjectCode) }.map { $0.text + "." }
        guard !texts.isEmpty else { return }
        let size = 8.5
        let width = Self.contentWidth - 20
        let lines = texts.flatMap { wrap($0, font: regular, size: size, width: width) }
        let height = Double(lines.count) * 11.5 + 12
        ensure(height + 12)
        pdf.fillRectangle(x: Self.margin, y: y - height, width: 3, height: height, color: Self.accent)
        pdf.fillRectangle(x: Self.margin + 3, y: y - height, width: Self.contentWidth - 3, height: height, color: Self.tint)
        var baseline = y - 15
        for line in lines {
            text(line, x: Self.margin + 12, baseline: baseline, font: regular, size: size, color: Self.ink)
            baseline -= 11.5
        }
        y -= height + 14
    }

    private static let lineColumns = [
        Column(title: "Désignation", width: contentWidth - 312, alignment: .left),
        Column(title: "Quantité", width: 62, alignment: .right), Column(title: "Prix unitaire HT", width: 92, alignment: .right),
        Column(title: "TVA", width: 70, alignment: .right), Column(title: "Montant HT", width: 88, alignment: .right),
    ]

    private mutating func lines() {
        tableHeader(Self.lineColumns)
        for line in document.lines {
            var price = [line.unitPrice.frenchString]
            if line.baseQuantity != 1 { price.append("les " + FrenchText.grouped(line.baseQuantity)) }
            let cells = [
                wrap(line.description, font: regular, size: 9, width: Self.lineColumns[0].width - 12), [FrenchText.grouped(line.quantity)], price,
                [line.vat.frenchRate], [line.net.frenchString],
            ]
            let height = Double(cells.map(\.count).max() ?? 1) * 11.5 + 9
            if y - height < Self.bottom {
                newPage()
                tableHeader(Self.lineColumns)
            }
            row(cells, columns: Self.lineColumns, height: height)
        }
        y -= 14
    }

    private mutating func tableHeader(_ columns: [Column]) {
        let height = 18.0
        pdf.fillRectangle(x: Self.margin, y: y - height, width: columns.reduce(0) { $0 + $1.width }, height: height, color: Self.accent)
        var x = Self.margin
        for column in columns {
            cell(column.title, x: x, width: column.width, baseline: y - 12, alignment: column.alignment, font: bold, size: 8, color: Self.white)
            x += column.width
        }
        y -= height
    }

    private mutating func row(_ cells: [[String]], columns: [Column], height: Double, x start: Double = margin) {
        var x = start
        for (column, lines) in zip(columns, cells) {
            var baseline = y - 14
            for (index, line) in lines.enumerated() {
                let secondary = index > 0 && column.alignment == .right
                cell(
                    line, x: x, width: column.width, baseline: baseline, alignment: column.alignment, font: regular, size: secondary ? 7.5 : 9,
                    color: secondary ? Self.muted : Self.ink)
                baseline -= 11.5
            }
            x += column.width
        }
        y -= height
        pdf.line(from: (start, y), to: (x, y), width: 0.5, color: Self.rule)
    }

    /// The VAT breakdown per rate beside the totals.
    private mutating func summary() {
        let vatColumns = [
            Column(title: "TVA", width: 150, alignment: .left), Column(title: "Base HT", width: 75, alignment: .right),
            Column(title: "Montant TVA", width: 75, alignment: .right),
        ]
        let vatRows = document.vatBreakdown.map { entry in
            [
                wrap(entry.treatment.exemptionReason ?? "Taux normal " + entry.treatment.frenchRate, font: regular, size: 9, width: 138),
                [entry.taxableAmount.frenchString], [entry.taxAmount.frenchString],
            ]
        }
        let vatHeights = vatRows.map { Double($0.map(\.count).max() ?? 1) * 11.5 + 9 }
        let totals: [(String, Money)] = [
            ("Total HT", document.totals.net), ("Total TVA", document.totals.vat), ("Total TTC", document.totals.gross),
        ]
        let totalsHeight = Double(totals.count) * 17 + 26
        let height = max(18 + vatHeights.reduce(0, +), totalsHeight)
        ensure(height + 10)
        let top = y
        tableHeader(vatColumns)
        for (cells, rowHeight) in zip(vatRows, vatHeights) { row(cells, columns: vatColumns, height: rowHeight) }

        let width = 190.0
        let left = Self.pageWidth - Self.margin - width
        var baseline = top - 12
        for (label, amount) in totals {
            text(label, x: left + 8, baseline: baseline, font: regular, size: 9, color: Self.ink)
            cell(amount.frenchString, x: left, width: width - 8, baseline: baseline, alignment: .right, font: regular, size: 9, color: Self.ink)
            pdf.line(from: (left, baseline - 6), to: (left + width, baseline - 6), width: 0.5, color: Self.rule)
            baseline -= 17
        }
        let payableTop = baseline + 9
        pdf.fillRectangle(x: left, y: payableTop - 24, width: width, height: 24, color: Self.accent)
        text(isInvoice ? "Net à payer" : "Montant de l'avoir", x: left + 8, baseline: payableTop - 16, font: bold, size: 10, color: Self.white)
        cell(
            document.totals.payable.frenchString, x: left, width: width - 8, baseline: payableTop - 16, alignment: .right, font: bold, size: 11,
            color: Self.white)
        y = top - height - 16
        for entry in document.vatBreakdown {
            let notice: String
            switch entry.treatment.category {
            case .reverseCharge:
                notice =
                    "Autoliquidation : la TVA est due par le preneur (article 196 de la directive 2006/112/CE), "
                    + "le montant HT de \(entry.taxableAmount.frenchString) est à déclarer par le client."
            case .exempt:
                notice = "TVA non applicable, art. 293 B du CGI : le vendeur bénéficie de la franchise en base de TVA."
            case .notSubject:
                notice = "TVA non applicable, art. 294-1 du CGI : le service est fourni en Guyane ou à Mayotte, où la TVA ne s'applique pas."
            case .standard:
                continue
            }
            paragraph(notice, size: 8.5, color: Self.ink)
            y -= 14
        }
    }

    /// Terms, due date and the account to pay into (an invoice only: a credit note is owed the other way).
    private mutating func payment() {
        let gap = 16.0
        let bankWidth = 220.0
        var bank: [(String, String)] = []
        if isInvoice {
            bank = [
                ("Titulaire", document.payment.payee?.name ?? document.seller.name), ("IBAN", document.payment.iban.grouped),
                ("BIC", document.payment.bic.text),
            ]
        }
        let termsWidth = bank.isEmpty ? Self.contentWidth : Self.contentWidth - bankWidth - gap
        var terms = wrap(document.paymentTermsText, font: regular, size: 8.5, width: termsWidth)
        terms.append("Référence à rappeler : " + document.number.text)
        let height = max(Double(terms.count) * 11.5, Double(bank.count) * 13 + 12) + 20
        ensure(height + 8)
        text("RÈGLEMENT", x: Self.margin, baseline: y - 10, font: bold, size: 7.5, color: Self.muted)
        pdf.line(from: (Self.margin, y), to: (Self.margin + Self.contentWidth, y), width: 1.5, color: Self.accent)
        var baseline = y - 26
        for line in terms {
            text(line, x: Self.margin, baseline: baseline, font: regular, size: 8.5, color: Self.ink)
            baseline -= 11.5
        }
        if !bank.isEmpty {
            let left = Self.margin + termsWidth + gap
            let boxHeight = Double(bank.count) * 13 + 10
            pdf.fillRectangle(x: left, y: y - 18 - boxHeight, width: bankWidth, height: boxHeight, color: Self.tint)
            text("Virement bancaire", x: left, baseline: y - 10, font: bold, size: 7.5, color: Self.muted)
            var line = y - 31
            for (label, value) in bank {
                text(label, x: left + 8, baseline: line, font: regular, size: 8, color: Self.muted)
                text(value, x: left + 58, baseline: line, font: bold, size: 8.5, color: Self.ink)
                line -= 13
            }
        }
        y -= height + 10
    }

    /// The notes a reader must see: penalties, the 40 € indemnity, no discount, and any other mention the invoice carries.
    private mutating func mentions() {
        let printed = document.notes.filter { !["REG", "ACD", "BAR"].contains($0.subjectCode) }.map { $0.text + "." }
        guard !printed.isEmpty else { return }
        let lines = printed.flatMap { wrap($0, font: regular, size: 7.5, width: Self.contentWidth) }
        ensure(Double(lines.count) * 10 + 16)
        text("MENTIONS LÉGALES", x: Self.margin, baseline: y - 10, font: bold, size: 7.5, color: Self.muted)
        y -= 16
        for line in lines {
            text(line, x: Self.margin, baseline: y - 8, font: regular, size: 7.5, color: Self.muted)
            y -= 10
        }
    }

    /// The seller's identity on every page, and "Page n / N" when there are several.
    private mutating func footers() {
        let pageCount = pdf.pageSizes.count
        let seller = document.seller
        var identity = seller.name
        if let siren = seller.siren { identity += " · SIREN " + Self.spaced(siren) }
        if let vatNumber = seller.vatNumber { identity += " · TVA " + vatNumber.text }
        for page in 0..<pageCount {
            pdf.selectPage(page)
            pdf.line(from: (Self.margin, 50), to: (Self.pageWidth - Self.margin, 50), width: 0.5, color: Self.rule)
            let label = title.prefix(1) + title.dropFirst().lowercased() + " " + document.number.text
            text(identity, x: Self.margin, baseline: 38, font: regular, size: 7, color: Self.muted)
            let right = pageCount > 1 ? "\(label) · Page \(page + 1) / \(pageCount)" : label
            cell(right, x: Self.margin, width: Self.contentWidth, baseline: 38, alignment: .right, font: regular, size: 7, color: Self.muted)
        }
    }

    // MARK: Primitives

    /// Starts a new page when fewer than `height` points are left above the footer.
    private mutating func ensure(_ height: Double) {
        if y - height < Self.bottom { newPage() }
    }

    /// A continuation page, headed with the document's title and number.
    private mutating func newPage() {
        pdf.addPage(width: Self.pageWidth, height: Self.pageHeight)
        y = Self.pageHeight - Self.margin
        text("\(title) N° \(document.number.text) (suite)", x: Self.margin, baseline: y - 10, font: bold, size: 10, color: Self.accent)
        y -= 26
    }

    private mutating func paragraph(_ content: String, size: Double, color: PDFA3Document.Color) {
        let lines = wrap(content, font: regular, size: size, width: Self.contentWidth)
        ensure(Double(lines.count) * size * 1.35)
        for line in lines {
            text(line, x: Self.margin, baseline: y - size, font: regular, size: size, color: color)
            y -= size * 1.35
        }
    }

    private mutating func text(_ content: String, x: Double, baseline: Double, font: PDFA3Document.FontID, size: Double, color: PDFA3Document.Color) {
        pdf.text(content, x: x, y: baseline, font: font, size: size, color: color)
    }

    /// `content` in a column `width` wide starting at `x`, padded 6 points on each side.
    private mutating func cell(
        _ content: String, x: Double, width: Double, baseline: Double, alignment: Alignment, font: PDFA3Document.FontID, size: Double,
        color: PDFA3Document.Color
    ) {
        let left = alignment == .left ? x + 6 : x + width - 6 - pdf.width(of: content, font: font, size: size)
        text(content, x: left, baseline: baseline, font: font, size: size, color: color)
    }

    /// `content` broken at spaces into lines at most `width` wide; a word longer than a line is cut.
    private func wrap(_ content: String, font: PDFA3Document.FontID, size: Double, width: Double) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in content.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if pdf.width(of: candidate, font: font, size: size) <= width {
                current = candidate
                continue
            }
            if !current.isEmpty { lines.append(current) }
            current = ""
            for character in word {
                if !current.isEmpty, pdf.width(of: current + String(character), font: font, size: size) > width {
                    lines.append(current)
                    current = ""
                }
                current.append(character)
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// A SIREN in groups of three, `732 829 320`.
    static func spaced(_ siren: String) -> String {
        guard siren.count == 9 else { return siren }
        let digits = Array(siren)
        return String(digits[0..<3]) + " " + String(digits[3..<6]) + " " + String(digits[6..<9])
    }
}
