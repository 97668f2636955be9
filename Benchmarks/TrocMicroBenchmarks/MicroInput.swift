import Foundation
import TrocCore

/// The two generated contact files the micro-benchmarks read, and their columns as the normalisers see them.
///
/// `Benchmarks/micro.sh` generates them once with `shared/bench/gen_contacts.py` (100,000 rows each, 30,000 people in
/// both, B's copies reformatted) and names their directory in `TROC_MICRO_DATA`.
struct MicroInput: Sendable {
    /// File A's bytes (UTF-8 with a byte-order mark, `;`-separated, French headers).
    let a: [UInt8]
    /// File B's bytes (the overlap reformatted: case, spaces, gmail dots, phone formats).
    let b: [UInt8]
    /// B's email cells, untrimmed, as exported.
    let emails: [String]
    /// B's telephone cells, in their four formats.
    let phones: [String]
    /// B's SIRET cells.
    let sirets: [String]

    /// The files in `TROC_MICRO_DATA`; stops with a message saying how to make them when it is not set.
    static let shared: MicroInput = {
        guard let directory = ProcessInfo.processInfo.environment["TROC_MICRO_DATA"] else {
            fatalError("TROC_MICRO_DATA is not set: run the micro-benchmarks with Benchmarks/micro.sh, which generates their input")
        }
        do {
            let a = try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent("a.csv")))
            let b = try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent("b.csv")))
            let input = MicroInput(a: a, b: b, columns: columns(of: b, named: ["email", "telephone", "siret"]))
            guard input.emails.count > 90_000 else { fatalError("b.csv in \(directory) holds \(input.emails.count) rows, not 100,000") }
            return input
        } catch {
            fatalError("cannot read a.csv and b.csv in \(directory): \(error)")
        }
    }()

    private init(a: [UInt8], b: [UInt8], columns: [[String]]) {
        self.a = a
        self.b = b
        emails = columns[0]
        phones = columns[1]
        sirets = columns[2]
    }

    /// The cells of the named columns, row by row (the generator writes no quoted cells). Lines end in CRLF, which
    /// Swift reads as one `Character`: split on new lines, not on "\n".
    private static func columns(of file: [UInt8], named names: [String]) -> [[String]] {
        let lines = String(decoding: file, as: UTF8.self).split(whereSeparator: \.isNewline).map {
            $0.split(separator: ";", omittingEmptySubsequences: false)
        }
        guard let header = lines.first else { return names.map { _ in [] } }
        let headers = header.map { $0.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\u{FEFF}"))) }
        return names.map { name in
            guard let column = headers.firstIndex(of: name) else { fatalError("no column \(name) in the generated file") }
            return lines.dropFirst().compactMap { $0.count > column ? String($0[column]) : nil }
        }
    }
}
