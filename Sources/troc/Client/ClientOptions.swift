import ArgumentParser
import Foundation
import TrocClient
import TrocCore

/// Options every command that talks to the broker shares.
struct ClientOptions: ParsableArguments {
    @Option(help: "Profile saved by `troc login` (TROC_PROFILE overrides the default).")
    var profile = ProcessInfo.processInfo.environment["TROC_PROFILE"] ?? "default"

    @Flag(help: "Print JSON for scripts instead of tables.")
    var json = false

    @Option(help: "Talk to this broker URL with the profile's token instead of the profile's server (a restored copy in a drill).")
    var server: String?

    /// Runs `body` with a client for the profile, mapping failures to exit codes.
    func withClient<T>(_ body: (TrocAPIClient) async throws -> T) async throws -> T {
        let client: TrocAPIClient
        do {
            var loaded = try ProfileStore().load(profile)
            if let server { loaded.server = server }
            client = try TrocAPIClient(profile: loaded)
        } catch {
            throw error.exit
        }
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch let error as ClientError {
            await client.shutdown()
            throw error.exit
        } catch {
            await client.shutdown()
            throw error
        }
    }

    /// Prints `value` as JSON, or `table()` for people.
    func print<T: Encodable>(_ value: T, table: () -> String) {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            StandardStreams.output.write(String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self) + "\n")
        } else {
            StandardStreams.output.write(table())
        }
    }
}

extension ClientError {
    /// The exit code and message `troc` ends with.
    var exit: TrocExit {
        let code: TrocExitCode =
            switch category {
            case .usage: .usage
            case .badInput: .badInput
            case .authentication: .authentication
            case .notFound: .notFound
            case .conflict: .conflict
            case .server: .server
            case .unreachable: .unreachable
            }
        return TrocExit(code, "troc: \(description)")
    }
}

/// Plain text tables: a header row and aligned columns.
enum TextTable {
    static func render(_ header: [String], _ rows: [[String]]) -> String {
        guard !rows.isEmpty else { return "(none)\n" }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    static func date(_ date: Date?) -> String {
        guard let date else { return "-" }
        return ISO8601DateFormatter.string(
            from: date, timeZone: .gmt,
            formatOptions: [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate, .withSpaceBetweenDateAndTime])
    }
}
