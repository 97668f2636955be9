import Foundation
import TrocTestSupport

/// What independent readers find in a PDF: the `factur-x` package (XML, flavour, level), `pypdf` (catalog,
/// attachment, output intent, XMP, text per page through the ToUnicode maps), in one Python run for many files.
struct PDFInspection: Decodable {
    /// The attachment's name and XML as `facturx.get_facturx_xml_from_pdf` returns them (XSD checked), if any.
    let attachmentName: String?
    let xml: String?
    /// `get_flavor` and `get_level` of the XML.
    let flavor: String?
    let level: String?
    let extractionError: String?
    /// `%PDF-1.7`.
    let header: String
    /// `/AFRelationship`, the embedded file's `/Subtype`, `/Params /Size` and `/ModDate`.
    let relationship: String?
    let mimeType: String?
    let size: Int?
    let modificationDate: String?
    /// `/S`, `/OutputConditionIdentifier` and the profile's `/N`.
    let outputIntent: [String]
    let language: String?
    let encrypted: Bool
    let hasIdentifier: Bool
    let xmp: String
    /// Text of each page, as `pypdf` extracts it.
    let pages: [String]

    static let script = #"""
        import json, sys, facturx
        from lxml import etree
        from pypdf import PdfReader
        result = {}
        for path in sys.argv[1:]:
            data = open(path, "rb").read()
            entry = {"attachmentName": None, "xml": None, "flavor": None, "level": None, "extractionError": None}
            try:
                name, xml = facturx.get_facturx_xml_from_pdf(data)
                if xml:
                    tree = etree.fromstring(xml)
                    entry.update(attachmentName=name, xml=xml.decode("utf-8"), flavor=facturx.get_flavor(tree), level=facturx.get_level(tree))
            except Exception as error:
                entry["extractionError"] = str(error)
            reader = PdfReader(path)
            root = reader.trailer["/Root"]
            entry["header"] = reader.pdf_header
            entry["encrypted"] = reader.is_encrypted
            entry["hasIdentifier"] = "/ID" in reader.trailer
            entry["language"] = str(root["/Lang"]) if "/Lang" in root else None
            entry.update(relationship=None, mimeType=None, size=None, modificationDate=None)
            if "/AF" in root:
                spec = root["/AF"][0].get_object()
                stream = spec["/EF"]["/F"].get_object()
                entry.update(relationship=str(spec["/AFRelationship"]), mimeType=str(stream["/Subtype"]),
                             size=int(stream["/Params"]["/Size"]), modificationDate=str(stream["/Params"]["/ModDate"]))
            intent = root["/OutputIntents"][0].get_object()
            entry["outputIntent"] = [str(intent["/S"]), str(intent["/OutputConditionIdentifier"]), str(intent["/DestOutputProfile"].get_object()["/N"])]
            entry["xmp"] = root["/Metadata"].get_object().get_data().decode("utf-8")
            entry["pages"] = [page.extract_text() for page in reader.pages]
            result[path] = entry
        print(json.dumps(result))
        """#

    /// Why the inspection script could not run.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Inspects every file in one run.
    static func inspect(_ paths: [String]) throws -> [String: PDFInspection] {
        let run = try ExternalTool.run("python3", ["-c", script] + paths)
        guard run.status == 0 else { throw Failure(description: "the PDF inspection failed (pip install factur-x pypdf):\n\(run.error)") }
        return try JSONDecoder().decode([String: PDFInspection].self, from: run.output)
    }
}

/// Temporary PDF files for one test.
struct PDFFiles {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("troc-facturx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Writes `bytes` as `name` and returns its path.
    func write(_ bytes: [UInt8], as name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Deletes the directory and its files.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
