/// The partner figures of one match report: each exact value plus its noise, then made consistent (no negative count,
/// no part above its whole) using only noised values, which costs no privacy. The same report and noise source always
/// give the same figures.
public struct ReleasedFigures: Sendable, Hashable {
    private var values: [String: Int] = [:]

    /// Releases every figure of `PartnerFigure` for `report`, drawing each one's noise from its own stream of `noise`.
    public init(_ report: MatchReport, noise: some FigureNoiseSource) {
        for figure in PartnerFigure.allCases {
            let release = figure.release
            let sides: [DealSide?] = release.scope == .eachSide ? [.a, .b] : [nil]
            for side in sides {
                let label = Self.label(figure, side)
                var stream = noise.stream(for: label)
                var value = max(0, release.exact(report, side ?? .a) + release.noise.sample(using: &stream))
                if let whole = release.whole {
                    guard let bound = values[Self.label(whole, side ?? .a)] else {
                        preconditionFailure("\(whole) must come before its part \(figure) in PartnerFigure")
                    }
                    value = min(value, bound)
                }
                if let upperBound = release.upperBound { value = min(value, upperBound) }
                values[label] = value
            }
        }
    }

    /// A figure of one side's file.
    public subscript(_ figure: PartnerFigure, side side: DealSide) -> Int {
        values[Self.label(figure, side)] ?? 0
    }

    /// A figure of both files.
    public subscript(_ figure: PartnerFigure) -> Int {
        values[Self.label(figure, nil)] ?? 0
    }

    /// The name of a figure's noise stream: `A.contacts`, `overlapEmails`.
    public static func label(_ figure: PartnerFigure, _ side: DealSide?) -> String {
        side.map { "\($0.rawValue).\(figure.rawValue)" } ?? figure.rawValue
    }
}
