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
    private func withClient<T>(_ body: (TrocAPIClient) async throws -> T) async throws -> T {
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

    /// Standard output, as tables or (with `--json`) as JSON.
    var output: CommandOutput { CommandOutput(sink: StandardStreams.output, json: json) }

    /// Runs `body` with a client for the profile and standard output, mapping failures to exit codes.
    func run(_ body: (TrocAPIClient, CommandOutput) async throws -> Void) async throws {
        try await withClient { try await body($0, output) }
    }

}
