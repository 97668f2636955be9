/// Writes indented, escaped XML, element by element, so that renderers stay declarative and deterministic.
struct XMLWriter {
    private(set) var output = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    private var open: [String] = []

    /// Opens `name` with `attributes`; close it with `close()`.
    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        output += indentation + "<" + name + XMLWriter.attributes(attributes) + ">\n"
        open.append(name)
    }

    /// Closes the innermost open element.
    mutating func close() {
        let name = open.removeLast()
        output += indentation + "</" + name + ">\n"
    }

    /// Writes `<name attributes>text</name>`.
    mutating func element(_ name: String, _ text: String, _ attributes: [(String, String)] = []) {
        output += indentation + "<" + name + XMLWriter.attributes(attributes) + ">" + XMLWriter.escape(text) + "</" + name + ">\n"
    }

    /// Writes `name` around whatever `body` writes.
    mutating func group(_ name: String, _ attributes: [(String, String)] = [], _ body: (inout XMLWriter) -> Void) {
        open(name, attributes)
        body(&self)
        close()
    }

    /// `text` with the five XML special characters escaped and the characters XML 1.0 forbids dropped.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            // C0 controls, U+FFFE and U+FFFF cannot appear in an XML 1.0 document at all, even escaped.
            case "\u{0}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}": continue
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private var indentation: String { String(repeating: "  ", count: open.count) }

    private static func attributes(_ attributes: [(String, String)]) -> String {
        attributes.map { " " + $0.0 + "=\"" + escape($0.1) + "\"" }.joined()
    }
}
