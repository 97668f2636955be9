/// Guards the cells of CSV files Troc writes for spreadsheets (deliveries, the invoice CSV): a firm
/// must not plant a formula that the other firm's spreadsheet would run (CSV injection).
public enum SpreadsheetCell {
    /// The cell with a leading apostrophe when a spreadsheet would read it as a formula, as is.
    public static func neutralised(_ value: String) -> String {
        runsAsFormula(value) ? "'" + value : value
    }

    /// Whether a spreadsheet would evaluate the cell: it starts with `=`, `@`, TAB or CR, or with `+`
    /// or `-` not followed by a plain number (so an E.164 phone or a negative amount stays as it is).
    public static func runsAsFormula(_ value: String) -> Bool {
        let bytes = value.utf8
        guard let first = bytes.first else { return false }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "@"), UInt8(ascii: "\t"), UInt8(ascii: "\r"): return true
        case UInt8(ascii: "+"), UInt8(ascii: "-"): return !isPlainNumber(bytes.dropFirst())
        default: return false
        }
    }

    /// Digits, optionally followed by one `.` or `,` and more digits.
    private static func isPlainNumber(_ bytes: Substring.UTF8View) -> Bool {
        var digitsBefore = 0
        var digitsAfter = 0
        var separator = false
        for byte in bytes {
            if byte &- UInt8(ascii: "0") < 10 {
                if separator { digitsAfter += 1 } else { digitsBefore += 1 }
            } else if (byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",")) && !separator {
                separator = true
            } else {
                return false
            }
        }
        return digitsBefore > 0 && (!separator || digitsAfter > 0)
    }
}
