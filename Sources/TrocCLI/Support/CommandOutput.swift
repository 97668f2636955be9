import Foundation

/// Where a command's result goes: text for people or, with `--json`, JSON for scripts, written to a sink
/// (standard output when run, a buffer in tests).
struct CommandOutput: Sendable {
    /// Where the text goes.
    let sink: any TextSink
    /// Whether to write JSON instead of text.
    let json: Bool

    /// Writes `value` as JSON, or `table()` for people.
    func print<T: Encodable>(_ value: T, table: () -> String) {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            sink.write(String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self) + "\n")
        } else {
            sink.write(table())
        }
    }
}
