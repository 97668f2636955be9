import Foundation

/// Sizes as operators type them: `10GiB`, `500 MiB`, `2048` (bytes); binary units only, so a quota means what it says.
enum ByteSizeText {
    private static let units: [(suffix: String, shift: Int64)] = [("kib", 10), ("mib", 20), ("gib", 30), ("tib", 40), ("pib", 50), ("b", 0)]

    /// The bytes `text` names, or an error naming the key and the forms accepted.
    static func bytes(_ text: String, key: String) throws -> Int64 {
        let lowered = text.lowercased().replacingOccurrences(of: " ", with: "")
        var number = lowered
        var shift: Int64 = 0
        if let unit = units.first(where: { lowered.hasSuffix($0.suffix) }) {
            number = String(lowered.dropLast(unit.suffix.count))
            shift = unit.shift
        }
        guard let value = Int64(number), value >= 0, value <= Int64.max >> shift else {
            throw SettingsInputError("\(key)=\(text): expected a size such as 10GiB, 500MiB or a number of bytes")
        }
        return value << shift
    }
}
