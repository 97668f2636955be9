import Foundation

/// A concrete request target: an operation with its path parameters and query items filled in, each percent-encoded,
/// so an id holding `/`, `?` or `%` stays one path segment or one query value.
package struct Endpoint: Hashable, Sendable {
    /// The operation called.
    package let operation: APIOperation
    /// The path and query, percent-encoded, to append to the broker's base URL.
    package let target: String

    /// Characters left as they are: RFC 3986's unreserved set; everything else is percent-encoded.
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// `operation` with its placeholders replaced, in order, by `parameters`, and the query items whose value is not nil.
    package init(_ operation: APIOperation, _ parameters: String..., query: KeyValuePairs<String, String?> = [:]) {
        self.operation = operation
        var path = ""
        var remaining = parameters[...]
        var template = operation.template[...]
        while let open = template.firstIndex(of: "{"), let close = template[open...].firstIndex(of: "}") {
            path += template[..<open]
            precondition(!remaining.isEmpty, "\(operation.template) takes more parameters than given")
            let parameter = remaining.removeFirst()
            // `.` and `..` are unreserved, yet as a whole segment they would walk up the path.
            path += parameter.allSatisfy { $0 == "." } ? String(repeating: "%2E", count: parameter.count) : Self.encode(parameter)
            template = template[template.index(after: close)...]
        }
        precondition(remaining.isEmpty, "\(operation.template) takes fewer parameters than given")
        path += template
        let items = query.compactMap { name, value in value.map { Self.encode(name) + "=" + Self.encode($0) } }
        target = items.isEmpty ? path : path + "?" + items.joined(separator: "&")
    }

    /// `text` with every character outside the unreserved set percent-encoded (as UTF-8 bytes).
    package static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
