import Foundation
import TrocCore

/// Numbers, amounts, dates and percentages the way the reader's language writes them: `1 234,56 €`, `23/11/2026`,
/// `12,5 %` in French; `€1,234.56`, `23 Nov 2026`, `12.5%` in English. Times are shown in Paris time.
struct ConsoleFormat: Sendable {
    let language: ConsoleLanguage

    /// France's time zone, where the broker and its users are.
    static let timeZone = TimeZone(identifier: "Europe/Paris") ?? .gmt

    /// An integer with grouped thousands: `12 345` (narrow no-break space) or `12,345`.
    func integer(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped += language == .fr ? "\u{202F}" : "," }
            grouped.append(character)
        }
        return (value < 0 ? "−" : "") + grouped
    }

    /// An amount in euros from cents: `1 234,56 €` or `€1,234.56`.
    func money(_ cents: Int64) -> String {
        let units = integer(Int(cents.magnitude / 100))
        let fraction = String(format: "%02d", Int(cents.magnitude % 100))
        let sign = cents < 0 ? "−" : ""
        return language == .fr ? "\(sign)\(units),\(fraction)\u{00A0}€" : "\(sign)€\(units).\(fraction)"
    }

    /// A share in [0, 1] as a percentage with one decimal: `12,5 %` or `12.5%`.
    func percent(_ fraction: Double) -> String {
        let tenths = Int((fraction * 1000).rounded())
        let text = "\(tenths / 10)" + (language == .fr ? "," : ".") + "\(abs(tenths % 10))"
        return language == .fr ? text + "\u{00A0}%" : text + "%"
    }

    /// A number with `decimals` decimals: `0,62` or `0.62`.
    func decimal(_ value: Double, decimals: Int = 2) -> String {
        let text = String(format: "%.\(decimals)f", value)
        return language == .fr ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    /// A calendar date: `23/11/2026` or `23 Nov 2026`.
    func date(_ date: CivilDate) -> String {
        let parts = date.iso8601.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return date.iso8601 }
        return format(year: parts[0], month: parts[1], day: parts[2])
    }

    /// An instant, in Paris time: `23/11/2026 14:05` or `23 Nov 2026, 14:05`.
    func dateTime(_ instant: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        let day = format(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
        let time = String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
        return language == .fr ? "\(day) \(time)" : "\(day), \(time)"
    }

    /// The ISO date of an instant in Paris, for date inputs.
    func isoDay(_ instant: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }

    private func format(year: Int, month: Int, day: Int) -> String {
        switch language {
        case .fr: return String(format: "%02d/%02d/%04d", day, month, year)
        case .en:
            let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            return "\(day) \(months[max(0, min(11, month - 1))]) \(year)"
        }
    }
}
