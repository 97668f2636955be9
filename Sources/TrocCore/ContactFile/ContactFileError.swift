/// Why a whole contact file cannot be read. Problems confined to one row are rejections instead
/// (`RowRejection`), so one bad line never costs the rest of the file.
public enum ContactFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file has no bytes at all.
    case empty
    /// The bytes are not text: a spreadsheet, an archive, a PDF or other binary data.
    case binary(what: String)
    /// The file has a header line but no data rows.
    case headerOnly(columns: Int)
    /// The header has no column the reader recognises as an email or a phone.
    case noContactColumn(headers: [String])
    /// A `--map column=field` override names a column the header does not have, or a field that does not exist.
    case badMapping(String)
    /// The header line itself is unusable (a quoted header never closed, or longer than the limit).
    case badHeader(String)

    /// A stable code for scripts and problem+json.
    public var code: String {
        switch self {
        case .empty: "file.empty"
        case .binary: "file.binary"
        case .headerOnly: "file.header-only"
        case .noContactColumn: "file.no-contact-column"
        case .badMapping: "file.bad-mapping"
        case .badHeader: "file.bad-header"
        }
    }

    public var description: String {
        switch self {
        case .empty:
            return "the file is empty: export the contacts again and check the file is not 0 bytes"
        case .binary(let what):
            return "line 1: this is not a CSV text file (\(what)); export the sheet as CSV (UTF-8 or Windows-1252, separator ; , TAB or |)"
        case .headerOnly(let columns):
            return "the file has a header line (\(columns) columns) but no data rows"
        case .noContactColumn(let headers):
            let shown = headers.prefix(20).map { "\"\($0)\"" }.joined(separator: ", ")
            return "line 1: no email or phone column found among the headers \(shown); "
                + "name a column with --map COLUMN=email or --map COLUMN=phone"
        case .badMapping(let message):
            return message
        case .badHeader(let message):
            return "line 1: \(message)"
        }
    }
}
