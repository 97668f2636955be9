/// What a document says about itself, written identically to the information dictionary and the XMP packet, as
/// PDF/A requires (ISO 19005-3 §6.6.2.3.2).
public struct PDFMetadata: Sendable, Hashable {
    /// `/Title`, `dc:title`.
    public var title: String
    /// `/Author`, `dc:creator`.
    public var author: String
    /// `/Subject`, `dc:description`.
    public var subject: String
    /// `/Creator`, `xmp:CreatorTool`: the application the content came from.
    public var creator: String
    /// `/Producer`, `pdf:Producer`: the program that wrote the PDF.
    public var producer: String
    /// `/CreationDate` and `/ModDate`, `xmp:CreateDate` and `xmp:ModifyDate`: given, never read from a clock.
    public var creationDate: PDFDate
    /// Natural language of the text, `fr-FR` (catalog `/Lang`).
    public var language: String

    /// Metadata from its parts.
    public init(title: String, author: String, subject: String, creator: String, producer: String, creationDate: PDFDate, language: String) {
        self.title = title
        self.author = author
        self.subject = subject
        self.creator = creator
        self.producer = producer
        self.creationDate = creationDate
        self.language = language
    }

    /// The document information dictionary.
    var information: PDFObject {
        .dictionary([
            "Title": .text(title), "Author": .text(author), "Subject": .text(subject), "Creator": .text(creator), "Producer": .text(producer),
            "CreationDate": .bytes(Array(creationDate.pdf.utf8)), "ModDate": .bytes(Array(creationDate.pdf.utf8)),
        ])
    }
}

/// A moment in UTC, written as PDF (`D:20260131000000Z`) and XMP (`2026-01-31T00:00:00Z`) dates.
public struct PDFDate: Sendable, Hashable {
    /// Year, month, day, hour, minute, second.
    public let year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int

    /// A UTC moment; midnight when only a day is given.
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// ISO 32000-1 §7.9.4 form.
    public var pdf: String {
        "D:" + pad(year, 4) + pad(month, 2) + pad(day, 2) + pad(hour, 2) + pad(minute, 2) + pad(second, 2) + "Z"
    }

    /// ISO 8601 form XMP uses.
    public var xmp: String {
        pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2) + "Z"
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
