import Foundation

/// A `multipart/form-data` body (RFC 7578) read whole: the console's file imports, small by nature.
struct MultipartForm: Sendable {
    /// One part: a form field, or a file with its name.
    struct Part: Sendable {
        /// The field's name.
        var name: String
        /// The file's name, for a file.
        var fileName: String?
        /// The part's bytes.
        var body: [UInt8]
    }

    /// Why a body is not a form this parser reads.
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    /// The parts, in order.
    var parts: [Part]

    /// The boundary of a `multipart/form-data` content type, or nil.
    static func boundary(contentType: String) -> String? {
        let pieces = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard pieces.first?.lowercased() == "multipart/form-data" else { return nil }
        for piece in pieces.dropFirst() where piece.lowercased().hasPrefix("boundary=") {
            var value = String(piece.dropFirst("boundary=".count))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    /// Splits `body` at `boundary` and reads each part's `Content-Disposition`.
    init(body: [UInt8], boundary: String) throws {
        let delimiter = Array("--\(boundary)".utf8)
        let separator = Array("\r\n--\(boundary)".utf8)
        guard let first = Self.find(delimiter, in: body, from: 0) else { throw Malformed(description: "no boundary in the body") }
        var parts: [Part] = []
        var position = first + delimiter.count
        while true {
            // After a boundary: "--" ends the body, CRLF starts a part.
            if body.count >= position + 2, body[position] == UInt8(ascii: "-"), body[position + 1] == UInt8(ascii: "-") { break }
            guard body.count >= position + 2, body[position] == 13, body[position + 1] == 10 else {
                throw Malformed(description: "a boundary is not followed by a line break")
            }
            position += 2
            guard let headerEnd = Self.find(Array("\r\n\r\n".utf8), in: body, from: position) else {
                throw Malformed(description: "a part has no end to its headers")
            }
            let headers = String(decoding: body[position..<headerEnd], as: UTF8.self)
            guard let end = Self.find(separator, in: body, from: headerEnd + 4) else {
                throw Malformed(description: "a part does not end with the boundary")
            }
            var name: String?
            var fileName: String?
            for line in headers.split(separator: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
                name = Self.parameter("name", in: line)
                fileName = Self.parameter("filename", in: line)
            }
            guard let name else { throw Malformed(description: "a part has no name") }
            parts.append(Part(name: name, fileName: fileName, body: Array(body[(headerEnd + 4)..<end])))
            position = end + separator.count
        }
        self.parts = parts
    }

    /// The text fields (parts without a file name).
    var fields: FormFields {
        FormFields(pairs: parts.filter { $0.fileName == nil }.map { ($0.name, String(decoding: $0.body, as: UTF8.self)) })
    }

    /// The first file sent as `name`.
    func file(_ name: String) -> Part? {
        parts.first { $0.name == name && $0.fileName != nil }
    }

    /// A quoted (or bare) parameter of a header line.
    private static func parameter(_ key: String, in line: Substring) -> String? {
        for piece in line.split(separator: ";").dropFirst() {
            let trimmed = piece.trimmingCharacters(in: .whitespaces)
            guard trimmed.lowercased().hasPrefix(key + "=") else { continue }
            var value = String(trimmed.dropFirst(key.count + 1))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    /// The first index of `needle` in `haystack` at or after `start`.
    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first, haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
