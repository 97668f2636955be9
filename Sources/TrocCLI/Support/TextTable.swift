import Foundation

/// Plain text tables: a header row and aligned columns.
enum TextTable {
    /// `rows` under `header`, each column as wide as its widest cell; `(none)` without rows.
    static func render(_ header: [String], _ rows: [[String]]) -> String {
        guard !rows.isEmpty else { return "(none)\n" }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    /// A date as `2026-12-06 13:45:00` (UTC), `-` when absent.
    static func date(_ date: Date?) -> String {
        guard let date else { return "-" }
        return ISO8601DateFormatter.string(
            from: date, timeZone: .gmt,
            formatOptions: [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate, .withSpaceBetweenDateAndTime])
    }
}
