import Foundation

/// The console's languages: French first (the users are French firms), English when the browser prefers it.
enum ConsoleLanguage: String, Sendable, CaseIterable {
    case fr, en

    /// The language an `Accept-Language` header prefers: English only when it ranks English above French.
    static func preferred(_ header: String?) -> ConsoleLanguage {
        guard let header else { return .fr }
        var best: (language: ConsoleLanguage, quality: Double)?
        for (index, item) in header.split(separator: ",").enumerated() {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first?.lowercased() else { continue }
            let primary = tag.split(separator: "-").first.map(String.init) ?? tag
            guard let language = ConsoleLanguage(rawValue: primary) else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            // Equal weights keep the header's order: a small penalty per position.
            let ranked = quality - Double(index) * 1e-6
            if quality > 0, ranked > best?.quality ?? -1 { best = (language, ranked) }
        }
        return best?.language ?? .fr
    }
}
