import Foundation

extension String {
    /// Without leading and trailing white space.
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }

    /// Whether it holds a control character (NUL, escape, a line break …), which no name or address has.
    var hasControlCharacters: Bool { unicodeScalars.contains { $0.properties.generalCategory == .control } }
}
