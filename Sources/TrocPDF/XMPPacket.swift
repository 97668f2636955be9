/// The XMP metadata packet of a PDF/A document (ISO 19005-3 §6.6): the PDF/A identification, the Dublin Core,
/// XMP basic and Adobe PDF properties that mirror the document information dictionary, and any extension
/// schema, described in the `pdfaExtension:schemas` block that PDF/A requires for properties outside the
/// predefined schemas.
public struct XMPPacket: Sendable {
    /// Document title, author, subject, tools and dates.
    public var metadata: PDFMetadata
    /// PDF/A part, 3.
    public var part: Int
    /// PDF/A conformance level, `B`.
    public var conformance: String
    /// Schemas outside the predefined ones, with their values.
    public var extensionSchemas: [XMPExtensionSchema]

    /// A packet identifying the document as PDF/A-`part` level `conformance`.
    public init(metadata: PDFMetadata, part: Int, conformance: String, extensionSchemas: [XMPExtensionSchema]) {
        self.metadata = metadata
        self.part = part
        self.conformance = conformance
        self.extensionSchemas = extensionSchemas
    }

    /// The packet as UTF-8 bytes, with the `xpacket` processing instructions (no `bytes` or `encoding` attribute,
    /// which PDF/A forbids).
    public var bytes: [UInt8] {
        var xml = "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
        xml += "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
        xml += description(namespaces: [("pdfaid", "http://www.aiim.org/pdfa/ns/id/")]) {
            "<pdfaid:part>\(part)</pdfaid:part>\n<pdfaid:conformance>\(escape(conformance))</pdfaid:conformance>\n"
        }
        xml += description(namespaces: [("dc", "http://purl.org/dc/elements/1.1/")]) {
            "<dc:format>application/pdf</dc:format>\n"
                + "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">\(escape(metadata.title))</rdf:li></rdf:Alt></dc:title>\n"
                + "<dc:creator><rdf:Seq><rdf:li>\(escape(metadata.author))</rdf:li></rdf:Seq></dc:creator>\n"
                + "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">\(escape(metadata.subject))</rdf:li></rdf:Alt></dc:description>\n"
        }
        xml += description(namespaces: [("xmp", "http://ns.adobe.com/xap/1.0/")]) {
            "<xmp:CreatorTool>\(escape(metadata.creator))</xmp:CreatorTool>\n"
                + "<xmp:CreateDate>\(metadata.creationDate.xmp)</xmp:CreateDate>\n"
                + "<xmp:ModifyDate>\(metadata.creationDate.xmp)</xmp:ModifyDate>\n"
                + "<xmp:MetadataDate>\(metadata.creationDate.xmp)</xmp:MetadataDate>\n"
        }
        xml += description(namespaces: [("pdf", "http://ns.adobe.com/pdf/1.3/")]) {
            "<pdf:Producer>\(escape(metadata.producer))</pdf:Producer>\n"
        }
        for schema in extensionSchemas {
            xml += description(namespaces: [(schema.prefix, schema.namespaceURI)]) {
                schema.properties.map { "<\(schema.prefix):\($0.name)>\(escape($0.value))</\(schema.prefix):\($0.name)>\n" }.joined()
            }
        }
        if !extensionSchemas.isEmpty { xml += extensionDescriptions }
        xml += "</rdf:RDF>\n</x:xmpmeta>\n"
        // Trailing padding lets a later editor update the packet in place (XMP part 1 §7.3.2).
        xml += String(repeating: String(repeating: " ", count: 99) + "\n", count: 20)
        xml += "<?xpacket end=\"w\"?>"
        return Array(xml.utf8)
    }

    /// The `pdfaExtension:schemas` block describing every property of every extension schema (ISO 19005-3 §6.6.2.3.3).
    private var extensionDescriptions: String {
        let namespaces = [
            ("pdfaExtension", "http://www.aiim.org/pdfa/ns/extension/"), ("pdfaSchema", "http://www.aiim.org/pdfa/ns/schema#"),
            ("pdfaProperty", "http://www.aiim.org/pdfa/ns/property#"),
        ]
        return description(namespaces: namespaces) {
            var xml = "<pdfaExtension:schemas>\n<rdf:Bag>\n"
            for schema in extensionSchemas {
                xml += "<rdf:li rdf:parseType=\"Resource\">\n"
                xml += "<pdfaSchema:schema>\(escape(schema.name))</pdfaSchema:schema>\n"
                xml += "<pdfaSchema:namespaceURI>\(escape(schema.namespaceURI))</pdfaSchema:namespaceURI>\n"
                xml += "<pdfaSchema:prefix>\(escape(schema.prefix))</pdfaSchema:prefix>\n"
                xml += "<pdfaSchema:property>\n<rdf:Seq>\n"
                for property in schema.properties {
                    xml += "<rdf:li rdf:parseType=\"Resource\">\n"
                    xml += "<pdfaProperty:name>\(escape(property.name))</pdfaProperty:name>\n"
                    xml += "<pdfaProperty:valueType>Text</pdfaProperty:valueType>\n"
                    xml += "<pdfaProperty:category>external</pdfaProperty:category>\n"
                    xml += "<pdfaProperty:description>\(escape(property.description))</pdfaProperty:description>\n"
                    xml += "</rdf:li>\n"
                }
                xml += "</rdf:Seq>\n</pdfaSchema:property>\n</rdf:li>\n"
            }
            return xml + "</rdf:Bag>\n</pdfaExtension:schemas>\n"
        }
    }

    private func description(namespaces: [(String, String)], _ body: () -> String) -> String {
        let declarations = namespaces.map { " xmlns:\($0.0)=\"\(escape($0.1))\"" }.joined()
        return "<rdf:Description rdf:about=\"\"\(declarations)>\n" + body() + "</rdf:Description>\n"
    }

    /// `text` with the XML special characters escaped.
    func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}": continue
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

/// A custom XMP schema: its name, namespace, prefix and text properties with their values.
public struct XMPExtensionSchema: Sendable, Hashable {
    /// One text property: its name, what it means, and its value in this document.
    public struct Property: Sendable, Hashable {
        /// Local name, `DocumentType`.
        public var name: String
        /// What the property means, as the extension schema block describes it.
        public var description: String
        /// The value in this document.
        public var value: String

        /// A property and its value.
        public init(name: String, description: String, value: String) {
            self.name = name
            self.description = description
            self.value = value
        }
    }

    /// Human-readable schema name.
    public var name: String
    /// Namespace URI, ending with `#` or `/`.
    public var namespaceURI: String
    /// Preferred prefix.
    public var prefix: String
    /// The properties.
    public var properties: [Property]

    /// A schema from its parts.
    public init(name: String, namespaceURI: String, prefix: String, properties: [Property]) {
        self.name = name
        self.namespaceURI = namespaceURI
        self.prefix = prefix
        self.properties = properties
    }
}
