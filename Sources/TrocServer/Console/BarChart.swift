import Foundation

/// A horizontal grouped bar chart drawn on the server as SVG: a `<title>` and `<desc>` for screen readers, `role="img"`,
/// each value written beside its bar so the chart reads in black and white print, and the same figures as a table
/// the page puts beside it. A value hidden from the reader (a partner's "< 50") is drawn as an empty dashed bar.
struct BarChart {
    /// One category: a label and one value per series (nil when hidden), with the text shown for each.
    struct Row {
        var label: String
        var values: [Double?]
        var shown: [String]
    }

    /// Unique within the page (ids of the title and description).
    var id: String
    var title: String
    var description: String
    /// The series' names (the deal's two sides, or "before" and "after").
    var series: [String]
    var rows: [Row]

    /// The series' fill colours: dark blue and dark orange, each at least 3:1 against white.
    static let colours = ["#1f5fa8", "#b55314", "#3d7a3a"]

    /// The SVG markup.
    func svg() -> String {
        let width = 680
        let labelWidth = 230
        let barArea = 330
        let barHeight = 16
        let gap = 4
        let legendHeight = 28
        let groupHeight = series.count * (barHeight + gap) + 10
        let height = legendHeight + rows.count * groupHeight + 8
        let maximum = max(rows.flatMap { $0.values.compactMap { $0 } }.max() ?? 0, 1e-9)
        var parts: [String] = [
            """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" \
            role="img" aria-labelledby="\(id)-title \(id)-desc"><title id="\(id)-title">\(Self.escape(title))</title>\
            <desc id="\(id)-desc">\(Self.escape(description))</desc>
            """
        ]
        var x = labelWidth
        for (index, name) in series.enumerated() {
            parts.append(
                "<rect x=\"\(x)\" y=\"6\" width=\"14\" height=\"14\" fill=\"\(Self.colours[index % Self.colours.count])\"/>"
                    + "<text x=\"\(x + 20)\" y=\"18\" font-size=\"13\" fill=\"#1b1b1b\">\(Self.escape(name))</text>")
            x += 24 + name.count * 8 + 20
        }
        for (rowIndex, row) in rows.enumerated() {
            let top = legendHeight + rowIndex * groupHeight
            let middle = top + (series.count * (barHeight + gap)) / 2 + 4
            parts.append(
                "<text x=\"\(labelWidth - 10)\" y=\"\(middle)\" font-size=\"13\" text-anchor=\"end\" fill=\"#1b1b1b\">\(Self.escape(row.label))</text>"
            )
            for (seriesIndex, value) in row.values.enumerated() {
                let y = top + seriesIndex * (barHeight + gap)
                let colour = Self.colours[seriesIndex % Self.colours.count]
                let shown = seriesIndex < row.shown.count ? row.shown[seriesIndex] : ""
                if let value {
                    let length = max(value > 0 ? 2 : 0, Int((value / maximum * Double(barArea)).rounded()))
                    parts.append(
                        "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(length)\" height=\"\(barHeight)\" fill=\"\(colour)\"/>"
                            + "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 12)\" font-size=\"12\" fill=\"#1b1b1b\">\(Self.escape(shown))</text>")
                } else {
                    parts.append(
                        "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"40\" height=\"\(barHeight)\" fill=\"none\" stroke=\"\(colour)\" "
                            + "stroke-dasharray=\"3 2\"/>"
                            + "<text x=\"\(labelWidth + 46)\" y=\"\(y + 12)\" font-size=\"12\" fill=\"#1b1b1b\">\(Self.escape(shown))</text>")
                }
            }
        }
        parts.append("</svg>")
        return parts.joined()
    }

    /// The values for the page's template: the SVG and the table behind it.
    var templateValues: [String: Any?] {
        [
            "id": id, "title": title, "svg": svg(), "series": series,
            "rows": rows.map { row in ["label": row.label, "cells": row.shown] as [String: Any?] },
        ]
    }

    /// Text escaped for SVG.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
