import Foundation
import Logging
import TrocCore
import TrocFacturX
import TrocStore

/// An invoice or credit note in one of the formats the broker produces, as the API and the console's downloads serve it.
struct RenderedInvoice: Sendable {
    /// The file's bytes.
    var bytes: [UInt8]
    /// Its media type.
    var contentType: String
    /// Its file name: the number and the format's suffix.
    var fileName: String
}

/// The formats of an invoice: Factur-X PDF, UBL and CII e-invoices, HTML, CSV and JSON.
enum InvoiceFormat: String, CaseIterable, Sendable {
    case pdf, ubl, cii, html, csv, json

    /// The file name suffix after the invoice number.
    var suffix: String {
        switch self {
        case .pdf: ".pdf"
        case .ubl: "-ubl.xml"
        case .cii: "-cii.xml"
        case .html: ".html"
        case .csv: ".csv"
        case .json: ".json"
        }
    }

    /// Renders `record` in this format; a seller outside French e-invoicing has no UBL or CII (`EInvoiceError`), and a
    /// PDF that cannot be laid out is an installation fault, logged with its cause.
    func render(_ record: InvoiceRecord, logger: Logger) throws -> RenderedInvoice {
        let document = record.document
        let (bytes, contentType): ([UInt8], String)
        switch self {
        case .json: (bytes, contentType) = (Array(JSONRenderer.render(document).utf8), "application/json; charset=utf-8")
        case .ubl: (bytes, contentType) = (Array(try UBLRenderer.render(document).utf8), "application/xml; charset=utf-8")
        case .cii: (bytes, contentType) = (Array(try CIIRenderer.render(document).utf8), "application/xml; charset=utf-8")
        case .csv: (bytes, contentType) = (Array(CSVRenderer.render([document]).utf8), "text/csv; charset=utf-8")
        case .html: (bytes, contentType) = (Array(HTMLRenderer.render(document).utf8), "text/html; charset=utf-8")
        case .pdf:
            do {
                (bytes, contentType) = (try FacturXRenderer.render(document), "application/pdf")
            } catch {
                logger.error("Factur-X rendering failed", metadata: ["invoice": .string(record.number), "cause": .string(error.description)])
                throw error
            }
        }
        return RenderedInvoice(bytes: bytes, contentType: contentType, fileName: record.number + suffix)
    }
}
