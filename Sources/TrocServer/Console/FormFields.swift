import Foundation

/// The fields of an `application/x-www-form-urlencoded` body or query: names to values, in order, a name possibly repeated.
struct FormFields: Sendable {
    /// Every name and value, in the order sent.
    private(set) var pairs: [(name: String, value: String)]

    /// Parses `name=value&…` with `+` as a space and percent-escapes decoded; malformed escapes are kept as they came.
    init(encoded text: String) {
        pairs = text.split(separator: "&", omittingEmptySubsequences: true).map { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// Fields from explicit pairs (multipart forms).
    init(pairs: [(name: String, value: String)]) {
        self.pairs = pairs
    }

    /// Refuses a form with a NUL character (U+0000, sent as `%00`) in a name or value, naming the field: GRDB binds a string
    /// to SQLite up to its first NUL, so it would be stored cut short (the API's JSON bodies are refused alike).
    func refusingNUL() throws(RequestError) -> FormFields {
        if let pair = pairs.first(where: { $0.name.utf8.contains(0) || $0.value.utf8.contains(0) }) {
            throw .nulCharacter(in: pair.name)
        }
        return self
    }

    /// The first value of `name`, or nil.
    subscript(_ name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// The first value of `name`, trimmed, or nil when absent or blank.
    func text(_ name: String) -> String? {
        guard let value = self[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// Every value of `name`.
    func all(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }
}
