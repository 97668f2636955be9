import Foundation

/// Reads the few flat XML documents S3 answers with, without an XML library.
///
/// S3's answers that this client reads (`Error`, `InitiateMultipartUploadResult`, `ListBucketResult`,
/// `ListMultipartUploadsResult`, `CompleteMultipartUploadResult`) are elements holding text or a list of
/// such elements, never mixed content or CDATA, so finding an element by name and unescaping its text is
/// enough; a document outside that shape reads as missing fields, which callers report as malformed.
struct S3XML {
    private let text: Substring

    /// A document (or a fragment of one).
    init(_ text: some StringProtocol) {
        self.text = Substring(text)
    }

    /// The unescaped text of the first `<name>` element, if any.
    func value(_ name: String) -> String? {
        elements(name).first.map { Self.unescape($0.text) }
    }

    /// An ISO 8601 timestamp as S3 writes them (`2026-12-06T16:40:00.000Z`, fractional seconds optional).
    static func date(_ text: String) -> Date? {
        (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))) ?? (try? Date(text, strategy: .iso8601))
    }

    /// Every `<name>` element's content, in document order, as fragments to read further.
    func elements(_ name: String) -> [S3XML] {
        var found: [S3XML] = []
        var rest = text[...]
        while let open = Self.openingTag(name, in: rest) {
            if open.selfClosing {
                found.append(S3XML(""))
                rest = rest[open.end...]
                continue
            }
            guard let close = rest[open.end...].range(of: "</\(name)>") else { break }
            found.append(S3XML(rest[open.end..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return found
    }

    /// The first `<name>`, `<name attr="...">` or `<name/>` tag in `text`.
    private static func openingTag(_ name: String, in text: Substring) -> (end: Substring.Index, selfClosing: Bool)? {
        var rest = text
        while let start = rest.range(of: "<\(name)") {
            let after = rest[start.upperBound...]
            guard let next = after.first else { return nil }
            if next == ">" { return (after.index(after: after.startIndex), false) }
            if next == " " || next == "/" || next == "\t" || next == "\n" {
                guard let close = after.firstIndex(of: ">") else { return nil }
                return (after.index(after: close), after[..<close].hasSuffix("/"))
            }
            rest = after
        }
        return nil
    }

    /// The five predefined entities and numeric character references.
    static func unescape(_ text: some StringProtocol) -> String {
        guard text.contains("&") else { return String(text) }
        var result = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": result += "&"
            case "lt": result += "<"
            case "gt": result += ">"
            case "quot": result += "\""
            case "apos": result += "'"
            default:
                let scalar: Unicode.Scalar? =
                    if entity.hasPrefix("#x") { UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init) } else if entity.hasPrefix("#") {
                        UInt32(entity.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init)
                    } else { nil }
                if let scalar { result.unicodeScalars.append(scalar) } else { result += rest[amp...semi] }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return result + rest
    }

    /// `text` with `&`, `<`, `>`, `"` and `'` escaped, for the documents this client sends.
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }
}
