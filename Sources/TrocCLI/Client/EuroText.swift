import Foundation

/// Euros for people.
enum EuroText {
    /// `2500` → `25,00 €`.
    static func cents(_ cents: Int) -> String { String(format: "%d,%02d €", cents / 100, cents % 100) }
}
