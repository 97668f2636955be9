/// The broker's financial year (exercice comptable), by the month and day it starts: 1 January for a calendar year,
/// 1 July for a year closing on 30 June. The FEC covers one financial year and is named by its closing date (LPF art.
/// A47 A-1).
public struct FinancialYear: Hashable, Sendable, CustomStringConvertible {
    /// Month the year starts, 1 to 12.
    public let startMonth: Int
    /// Day of that month, 1 to 28 in February, to the month's length otherwise (29 February does not exist every year).
    public let startDay: Int

    /// The calendar year.
    public static let calendar = FinancialYear(checkedStartMonth: 1, startDay: 1)

    /// A financial year starting on `startDay`/`startMonth`, a day every year has.
    public init(startMonth: Int, startDay: Int) throws(FinancialYearError) {
        guard (1...12).contains(startMonth) else { throw .invalidMonth(startMonth) }
        // 2001 is not a leap year: its February has the 28 days every February has.
        guard (1...CivilDate.daysInMonth(year: 2001, month: startMonth)).contains(startDay) else {
            throw .invalidDay(startDay, month: startMonth)
        }
        self.init(checkedStartMonth: startMonth, startDay: startDay)
    }

    /// Parses `MM-DD` as typed (`07-01`, `7-1`).
    public init(parsing text: String) throws(FinancialYearError) {
        let parts = text.trimmingSpaces.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let month = Int(parts[0]), let day = Int(parts[1]) else { throw .malformed(text) }
        try self.init(startMonth: month, startDay: day)
    }

    private init(checkedStartMonth: Int, startDay: Int) {
        self.startMonth = checkedStartMonth
        self.startDay = startDay
    }

    /// The financial year that ends in calendar year `year`: from the start day in `year - 1` (or in `year` for a
    /// calendar year) to the day before the next start.
    public func period(endingIn year: Int) -> ClosedRange<CivilDate> {
        let startYear = isCalendarYear ? year : year - 1
        let start = CivilDate(year: startYear, month: startMonth, day: startDay)!
        let next = CivilDate(year: startYear + 1, month: startMonth, day: startDay)!
        return start...next.adding(days: -1)
    }

    /// The financial year that contains `date`.
    public func period(containing date: CivilDate) -> ClosedRange<CivilDate> {
        let (year, _, _) = date.components
        let thisYear = period(endingIn: year)
        if thisYear.contains(date) { return thisYear }
        return date < thisYear.lowerBound ? period(endingIn: year - 1) : period(endingIn: year + 1)
    }

    /// Whether it is the calendar year (1 January).
    public var isCalendarYear: Bool { startMonth == 1 && startDay == 1 }

    /// `MM-DD`, as settings take it.
    public var text: String { (startMonth < 10 ? "0" : "") + String(startMonth) + "-" + (startDay < 10 ? "0" : "") + String(startDay) }

    public var description: String { text }
}

/// Why a financial-year start was refused.
public enum FinancialYearError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Not `MM-DD`.
    case malformed(String)
    /// Not a month.
    case invalidMonth(Int)
    /// Not a day that month has every year.
    case invalidDay(Int, month: Int)

    public var description: String {
        switch self {
        case .malformed(let text):
            "\"\(text)\" is not a start date: give the month and day the financial year starts, as MM-DD (01-01, 07-01)"
        case .invalidMonth(let month):
            "\(month) is not a month (1 to 12)"
        case .invalidDay(let day, let month):
            "\(day) is not a day that month \(month) has every year; a financial year starts on a day every year has "
                + "(not 29 February)"
        }
    }
}
