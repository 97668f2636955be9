public import TrocCore
import TrocPDF

/// Renders issued invoices and credit notes as Factur-X: a PDF/A-3b document laid out for a French reader, with the
/// CII XML of `CIIRenderer` attached as `factur-x.xml` and the Factur-X XMP properties (profile EN 16931).
///
/// The XML is attached with `/AFRelationship /Data`: the Factur-X 1.07 specification asks for `Data` in the
/// EN 16931 profile (the PDF and the XML carry the same invoice; `Alternative` is the German ZUGFeRD reading in
/// which the XML is the original), and the `factur-x` reference library writes `Data` by default.
///
/// Every date written (creation, modification, the attachment's) is the issue date, so the same document always
/// gives the same bytes. A document the French CII profile refuses (a seller without a SIREN) is still laid
/// out as a PDF/A-3b, without the XML and without the Factur-X properties, since it is not an e-invoice.
public enum FacturXRenderer {
    /// Name of the attachment, fixed by the Factur-X specification.
    public static let attachmentName = "factur-x.xml"
    /// Namespace of the Factur-X XMP properties.
    public static let namespaceURI = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
    /// What identifies the software in the PDF metadata.
    public static let producer = "Troc (TrocPDF, PDF/A-3b)"

    /// The PDF of `document`.
    public static func render(_ document: InvoiceDocument) throws(FacturXError) -> [UInt8] {
        let resources = try FacturXResources.shared.get()
        let date = PDFDate(
            year: document.issueDate.components.year, month: document.issueDate.components.month, day: document.issueDate.components.day)
        var layout = InvoicePageLayout(document: document, resources: resources)
        let pdf = layout.render()
        let title = (document.kind == .invoice ? "Facture " : "Avoir ") + document.number.text
        let metadata = PDFMetadata(
            title: title, author: document.seller.name,
            subject: "\(title) du \(document.issueDate.french), \(document.seller.name) à \(document.buyer.name)", creator: "Troc",
            producer: producer, creationDate: date, language: "fr-FR")
        var attachments: [PDFA3Document.AssociatedFile] = []
        var schemas: [XMPExtensionSchema] = []
        if let xml = try? CIIRenderer.render(document) {
            attachments.append(
                PDFA3Document.AssociatedFile(
                    name: attachmentName, mimeType: "text/xml", description: "Factur-X XML (UN/CEFACT CII, profil EN 16931)", relationship: "Data",
                    data: Array(xml.utf8), modificationDate: date))
            schemas.append(extensionSchema)
        }
        do {
            return try pdf.write(metadata: metadata, outputIntent: resources.outputIntent, attachments: attachments, extensionSchemas: schemas)
        } catch {
            throw .unusableResource("fonts", reason: error.description)
        }
    }

    /// The Factur-X XMP properties with the descriptions of the specification's extension schema.
    static let extensionSchema = XMPExtensionSchema(
        name: "Factur-X PDFA Extension Schema", namespaceURI: namespaceURI, prefix: "fx",
        properties: [
            .init(name: "DocumentFileName", description: "name of the embedded XML invoice file", value: attachmentName),
            .init(name: "DocumentType", description: "INVOICE", value: "INVOICE"),
            .init(name: "Version", description: "The actual version of the Factur-X XML schema", value: "1.0"),
            .init(name: "ConformanceLevel", description: "The conformance level of the embedded Factur-X data", value: "EN 16931"),
        ])
}
