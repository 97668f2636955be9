/// A PDF/A-3b document (ISO 19005-3, conformance level B) built page by page: text in embedded subset fonts,
/// lines and filled rectangles in DeviceRGB under an sRGB output intent, associated files (`/AF`), XMP metadata
/// and a deterministic file identifier. No transparency, no encryption, no external content.
///
/// Troc writes its own PDFs: the C libraries Debian offers either cannot attach associated files with
/// `/AFRelationship` and write PDF/A-3 metadata (libharu, cairo), or would bring a C++ toolchain into a Swift
/// build for a few hundred lines of document (PoDoFo, qpdf), and none produces byte-identical output for equal
/// input without patching its clock and random identifiers. This module depends on nothing but the standard library.
public struct PDFA3Document {
    /// A colour in DeviceRGB, each component 0…1.
    public struct Color: Sendable, Hashable {
        /// Red, green, blue.
        public var red: Double, green: Double, blue: Double

        /// A colour from its components.
        public init(red: Double, green: Double, blue: Double) {
            self.red = red
            self.green = green
            self.blue = blue
        }

        /// A colour from `0xRRGGBB`.
        public init(hex: Int) {
            self.init(red: Double(hex >> 16 & 0xFF) / 255, green: Double(hex >> 8 & 0xFF) / 255, blue: Double(hex & 0xFF) / 255)
        }

        fileprivate var operands: String { [red, green, blue].map(PDFObject.format).joined(separator: " ") }
    }

    /// A file attached to the document and associated with it (ISO 19005-3 §6.8, ISO 32000-2 §14.13).
    public struct AssociatedFile: Sendable, Hashable {
        /// File name, `factur-x.xml`.
        public var name: String
        /// MIME type, `text/xml`.
        public var mimeType: String
        /// What the file is.
        public var description: String
        /// How it relates to the document: `Data`, `Source`, `Alternative`, `Supplement`, `Unspecified`.
        public var relationship: String
        /// Its content.
        public var data: [UInt8]
        /// Its modification date.
        public var modificationDate: PDFDate

        /// A file from its parts.
        public init(name: String, mimeType: String, description: String, relationship: String, data: [UInt8], modificationDate: PDFDate) {
            self.name = name
            self.mimeType = mimeType
            self.description = description
            self.relationship = relationship
            self.data = data
            self.modificationDate = modificationDate
        }
    }

    /// The ICC profile that says what the document's RGB values mean.
    public struct OutputIntent: Sendable, Hashable {
        /// The profile (three components, RGB).
        public var profile: [UInt8]
        /// Its registered name, `sRGB IEC61966-2.1`.
        public var identifier: String

        /// An output intent from its profile and name.
        public init(profile: [UInt8], identifier: String) {
            self.profile = profile
            self.identifier = identifier
        }
    }

    /// A font of this document, by its position in `fonts`.
    public typealias FontID = Int

    /// The fonts, each registering the characters drawn with it.
    public private(set) var fonts: [EmbeddedFont]
    /// Width and height of each page in points.
    public private(set) var pageSizes: [(width: Double, height: Double)] = []
    private var contents: [[UInt8]] = []
    /// The page drawing goes to.
    public private(set) var currentPage = -1

    /// An empty document drawing with `fonts`.
    public init(fonts: [EmbeddedFont]) {
        self.fonts = fonts
    }

    /// Adds a page and draws on it from now on.
    public mutating func addPage(width: Double, height: Double) {
        pageSizes.append((width, height))
        contents.append([])
        currentPage = contents.count - 1
    }

    /// Draws on page `index` (from 0) from now on, to add what is known only later, such as page numbers.
    public mutating func selectPage(_ index: Int) {
        precondition(contents.indices.contains(index), "no page \(index)")
        currentPage = index
    }

    /// The width of `text` in `font` at `size` points.
    public func width(of text: String, font: FontID, size: Double) -> Double { fonts[font].width(of: text, size: size) }

    /// Draws `text` with its baseline starting at (`x`, `y`), in points from the bottom-left corner.
    public mutating func text(_ text: String, x: Double, y: Double, font: FontID, size: Double, color: Color) {
        guard !text.isEmpty else { return }
        let codes = fonts[font].encode(text)
        var hex: [UInt8] = []
        PDFObject.writeHex(codes, to: &hex)
        append("BT \(color.operands) rg /F\(font + 1) \(PDFObject.format(size)) Tf \(PDFObject.format(x)) \(PDFObject.format(y)) Td ")
        contents[currentPage] += hex
        append(" Tj ET\n")
    }

    /// Fills the rectangle whose bottom-left corner is (`x`, `y`).
    public mutating func fillRectangle(x: Double, y: Double, width: Double, height: Double, color: Color) {
        append("\(color.operands) rg \([x, y, width, height].map(PDFObject.format).joined(separator: " ")) re f\n")
    }

    /// Strokes a straight line.
    public mutating func line(from start: (x: Double, y: Double), to end: (x: Double, y: Double), width: Double, color: Color) {
        let points = [start.x, start.y, end.x, end.y].map(PDFObject.format)
        append("\(color.operands) RG \(PDFObject.format(width)) w \(points[0]) \(points[1]) m \(points[2]) \(points[3]) l S\n")
    }

    private mutating func append(_ operators: String) {
        precondition(currentPage >= 0, "add a page before drawing")
        contents[currentPage] += Array(operators.utf8)
    }

    /// The PDF/A-3b file: pages, fonts, metadata mirrored in XMP, `outputIntent` and `attachments` associated with the
    /// document; `extensionSchemas` are written into the XMP with their PDF/A description.
    public func write(
        metadata: PDFMetadata, outputIntent: OutputIntent, attachments: [AssociatedFile] = [], extensionSchemas: [XMPExtensionSchema] = [],
        compression: PDFFileWriter.Compression = .flate
    ) throws(PDFFontError) -> [UInt8] {
        var file = PDFFileWriter(compression: compression)
        let catalog = file.reserve()
        let pageTree = file.reserve()
        var fontResources = PDFDictionary()
        for (index, font) in fonts.enumerated() where !font.scalars.isEmpty {
            fontResources["F\(index + 1)"] = .reference(try font.write(into: &file))
        }
        var pages: [PDFObject] = []
        for (index, content) in contents.enumerated() {
            let stream = file.addStream(data: content)
            let size = pageSizes[index]
            pages.append(
                .reference(
                    file.add(
                        .dictionary([
                            "Type": .name("Page"), "Parent": .reference(pageTree),
                            "MediaBox": .array([.integer(0), .integer(0), .real(size.width), .real(size.height)]),
                            "Resources": .dictionary(["Font": .dictionary(fontResources)]), "Contents": .reference(stream),
                        ]))))
        }
        file.set(pageTree, .dictionary(["Type": .name("Pages"), "Kids": .array(pages), "Count": .integer(pages.count)]))

        let profile = file.addStream(["N": .integer(3)], data: outputIntent.profile)
        let identifier = PDFObject.text(outputIntent.identifier)
        let intent = PDFObject.dictionary([
            "Type": .name("OutputIntent"), "S": .name("GTS_PDFA1"), "OutputConditionIdentifier": identifier, "Info": identifier,
            "DestOutputProfile": .reference(profile),
        ])
        // PDF/A readers look for the metadata unfiltered (ISO 19005-1 required it; later parts still advise it).
        let packet = XMPPacket(metadata: metadata, part: 3, conformance: "B", extensionSchemas: extensionSchemas)
        let xmp = file.addStream(["Type": .name("Metadata"), "Subtype": .name("XML")], data: packet.bytes, compress: false)

        var catalogEntries: PDFDictionary = [
            "Type": .name("Catalog"), "Pages": .reference(pageTree), "Metadata": .reference(xmp), "OutputIntents": .array([intent]),
            "Lang": .text(metadata.language), "ViewerPreferences": .dictionary(["DisplayDocTitle": .boolean(true)]),
        ]
        if !attachments.isEmpty {
            var names: [PDFObject] = []
            var specifications: [PDFObject] = []
            for attachment in attachments.sorted(by: { $0.name < $1.name }) {
                let specification = Self.write(attachment, into: &file)
                names += [.text(attachment.name), specification]
                specifications.append(specification)
            }
            catalogEntries["Names"] = .dictionary(["EmbeddedFiles": .dictionary(["Names": .array(names)])])
            catalogEntries["AF"] = .array(specifications)
        }
        file.set(catalog, .dictionary(catalogEntries))
        let information = file.add(metadata.information)

        // The identifier is a digest of what the document says, so equal documents get equal identifiers.
        var seed = packet.bytes
        for content in contents { seed += content }
        for attachment in attachments { seed += attachment.data }
        return file.write(root: catalog, info: information, id: MD5.digest(seed))
    }

    /// The embedded file stream and its file specification; returns a reference to the specification.
    private static func write(_ attachment: AssociatedFile, into file: inout PDFFileWriter) -> PDFObject {
        let stream = file.addStream(
            [
                "Type": .name("EmbeddedFile"), "Subtype": .name(attachment.mimeType),
                "Params": .dictionary([
                    "Size": .integer(attachment.data.count), "ModDate": .bytes(Array(attachment.modificationDate.pdf.utf8)),
                    "CheckSum": .hexBytes(MD5.digest(attachment.data)),
                ]),
            ], data: attachment.data)
        return .reference(
            file.add(
                .dictionary([
                    "Type": .name("Filespec"), "F": .text(attachment.name), "UF": .text(attachment.name), "Desc": .text(attachment.description),
                    "AFRelationship": .name(attachment.relationship), "EF": .dictionary(["F": .reference(stream), "UF": .reference(stream)]),
                ])))
    }
}
