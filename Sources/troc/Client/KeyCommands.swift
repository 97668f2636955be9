import ArgumentParser
import Foundation
import TrocClient
import TrocCore
import TrocCrypto

/// `troc keygen`: the firm's X25519 key pair; the private key stays on this machine (0600), the public key is registered.
struct KeygenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen", abstract: "Create your firm's key pair and register its public key (deliveries are encrypted to it).")

    @OptionGroup var options: ClientOptions
    @Option(help: "Where to write the private key (default: <config dir>/keys/<organisation>.pem).") var out: String?
    @Flag(help: "Replace an existing key file.") var force = false

    func run() async throws {
        try await options.withClient { client in
            let me: Me = try await client.get("/v1/me")
            guard me.user.role == .partner else { throw TrocExit(.usage, "troc: keygen is for partner firms; you are \(me.user.role.rawValue)") }
            let path = out ?? KeyLocation.defaultPath(organisationID: me.organisation.id)
            if FileManager.default.fileExists(atPath: path) && !force {
                throw TrocExit(.conflict, "troc: \(path) exists; pass --force to replace it (deliveries sealed to the old key will no longer open)")
            }
            let privateKey = EnvelopePrivateKey.generate()
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try PrivateFile.write(Data(privateKey.pemText.utf8), to: URL(fileURLWithPath: path))
            let organisation: Organisation = try await client.put(
                "/v1/organisations/\(me.organisation.id)/public-key", PublicKeyRegistration(publicKey: privateKey.publicKey.pemText))
            options.print(organisation) {
                "Private key written to \(path) (keep it; it never leaves this machine).\nPublic key registered for \(organisation.name): fingerprint \(privateKey.publicKey.fingerprint)\n"
            }
        }
    }
}

/// Where `troc keygen` keeps a firm's private key by default.
enum KeyLocation {
    static func defaultPath(organisationID: String) -> String {
        ProfileStore().directory.appendingPathComponent("keys/\(organisationID).pem").path
    }

    /// Loads the private key for downloads.
    static func load(_ path: String) throws -> EnvelopePrivateKey {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw TrocExit(.usage, "troc: no private key at \(path); run `troc keygen` first or pass --key")
        }
        do {
            return try EnvelopePrivateKey(pemText: text)
        } catch {
            throw TrocExit(.badInput, "troc: \(path): \(error)")
        }
    }
}

/// `troc broker-key`: the key uploads are sealed to, with its fingerprint to compare out of band.
struct BrokerKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "broker-key", abstract: "Show the broker's public key and fingerprint.")

    @OptionGroup var options: ClientOptions

    func run() async throws {
        let key: BrokerKey = try await options.withClient { try await $0.get("/v1/broker-key") }
        options.print(key) { "Fingerprint: \(key.fingerprint)\nSuite: \(key.suite)\n\(key.publicKey)" }
    }
}
