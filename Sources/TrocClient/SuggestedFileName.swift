import Foundation

/// The file name a broker suggests in `Content-Disposition` (RFC 6266), kept only when it is one plain name in the
/// current directory: `troc` writes there by default, so a hostile or broken server must not steer it elsewhere.
package struct SuggestedFileName: Hashable, Sendable {
    /// The name, free of separators, control characters and `.`/`..`.
    package let name: String

    /// The name in `filename*` (RFC 5987, UTF-8 only) or else `filename`; nil when absent or not a safe plain name.
    package init?(contentDisposition: String) {
        let parameters = Self.parameters(contentDisposition)
        let candidate: String?
        if let extended = parameters["filename*"] {
            candidate = Self.decodeExtended(extended)
        } else {
            candidate = parameters["filename"]
        }
        guard let candidate, Self.isPlain(candidate) else { return nil }
        // A literal `%2e%2e%2f…` is harmless on disk but is a traversal to anything that decodes it later.
        if let decoded = candidate.removingPercentEncoding, decoded != candidate, !Self.isPlain(decoded) { return nil }
        name = candidate
    }

    /// Whether `name` is one file name: not empty, not `.` or `..`, not hidden, without separators or control characters.
    private static func isPlain(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.contains("/") && !name.contains("\\")
            && !name.unicodeScalars.contains { $0.properties.generalCategory == .control || $0 == "\u{7F}" }
    }

    /// The disposition's parameters by lower-cased name; quoted values unquoted (backslash escapes kept as escapes of the next character).
    private static func parameters(_ header: String) -> [String: String] {
        var result: [String: String] = [:]
        var rest = Substring(header)
        // The disposition type comes first and carries no value.
        guard let firstSemicolon = rest.firstIndex(of: ";") else { return result }
        rest = rest[rest.index(after: firstSemicolon)...]
        while !rest.isEmpty {
            rest = rest.drop { $0 == " " || $0 == "\t" }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let name = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: equals)...].drop { $0 == " " || $0 == "\t" }
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped {
                        value.append(character)
                        escaped = false
                    } else if character == "\\" {
                        // Escaping keeps the backslash visible to the separator check: `"..\\x"` stays refused.
                        value.append(character)
                        escaped = true
                    } else if character == "\"" {
                        break
                    } else {
                        value.append(character)
                    }
                }
                rest = rest.drop { $0 != ";" }
            } else {
                let end = rest.firstIndex(of: ";") ?? rest.endIndex
                value = rest[..<end].trimmingCharacters(in: .whitespaces)
                rest = rest[end...]
            }
            rest = rest.drop { $0 == ";" }
            if result[name] == nil { result[name] = value }
        }
        return result
    }

    /// `UTF-8''na%C3%AFve.txt` → `naïve.txt`; nil for another charset or a malformed value.
    private static func decodeExtended(_ value: String) -> String? {
        let parts = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].lowercased() == "utf-8" else { return nil }
        return String(parts[2]).removingPercentEncoding
    }
}
