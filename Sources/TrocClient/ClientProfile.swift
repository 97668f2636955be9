package import Foundation
import TrocCrypto

/// Where and as whom `troc` talks to a broker: saved by `troc login`, one file per user, mode 0600.
package struct ClientProfile: Codable, Hashable, Sendable {
    /// The broker's base URL, `https://broker.example:8443`.
    package var server: String
    /// The API token (`troc_…`).
    package var token: String
    /// A CA or self-signed certificate (PEM) to trust for this server, for development brokers.
    package var certificateAuthorityPEM: String?
    /// The broker key's fingerprint, pinned at first upload: a changed key is refused, not trusted silently.
    package var brokerKeyFingerprint: String?

    package init(server: String, token: String, certificateAuthorityPEM: String?, brokerKeyFingerprint: String? = nil) {
        self.server = server
        self.token = token
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.brokerKeyFingerprint = brokerKeyFingerprint
    }
}

/// The profiles file: `$TROC_CONFIG_DIR`, else `$XDG_CONFIG_HOME/troc`, else `~/.config/troc`, holding `profiles.json`.
package struct ProfileStore: Sendable {
    /// The directory holding the profiles and the firm's key pairs.
    package let directory: URL

    /// The store under the user's configuration directory (or `environment`'s overrides).
    package init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let explicit = environment["TROC_CONFIG_DIR"], !explicit.isEmpty {
            directory = URL(fileURLWithPath: explicit)
        } else if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            directory = URL(fileURLWithPath: xdg).appendingPathComponent("troc")
        } else {
            directory = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".config/troc")
        }
    }

    private var file: URL { directory.appendingPathComponent("profiles.json") }

    /// The named profile.
    package func load(_ name: String) throws(ClientError) -> ClientProfile {
        guard let profiles = try? readAll(), let profile = profiles[name] else {
            throw .configuration("no profile \"\(name)\" in \(file.path); run `troc login --server URL --token TOKEN` first")
        }
        return profile
    }

    /// Saves `profile` under `name`, keeping the others; the file is readable by its owner only.
    package func save(_ profile: ClientProfile, as name: String) throws(ClientError) {
        do {
            var profiles = (try? readAll()) ?? [:]
            profiles[name] = profile
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try PrivateFile.write(encoder.encode(profiles), to: file)
        } catch {
            throw .configuration("cannot save the profile in \(file.path): \(error)")
        }
    }

    private func readAll() throws -> [String: ClientProfile] {
        try JSONDecoder().decode([String: ClientProfile].self, from: Data(contentsOf: file))
    }
}

/// Files only their owner may read (profiles with tokens, private keys), written atomically.
package enum PrivateFile {
    /// Writes `data` to `url` through a temporary file created 0600 (never chmod-ed afterwards), then renamed over it.
    package static func write(_ data: Data, to url: URL) throws {
        try SecretFile.write(data, to: url.path)
    }
}
