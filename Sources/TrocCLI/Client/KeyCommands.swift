import ArgumentParser
import Foundation
import TrocClient
import TrocCore
import TrocCrypto

/// `troc keygen`: the firm's first X25519 key pair; the private key stays on this machine (0600), the public key is registered.
struct KeygenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen", abstract: "Create your firm's first key pair and register its public key (deliveries are encrypted to it).",
        discussion: "A firm that already has a key changes it with `troc keys request`: an operator approves it and it takes effect after a delay.")

    @OptionGroup var options: ClientOptions
    @Option(help: "Where to write the private key (default: <config dir>/keys/<organisation>.pem).") var out: String?
    @Flag(help: "Replace an existing key file.") var force = false

    func run() async throws {
        try await options.run { try await run($0, $1) }
    }

    /// Runs the command with `client`, writing its result to `printer`.
    func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
        let me = try await client.me()
        guard me.user.role == .partner else { throw TrocExit(.usage, "troc: keygen is for partner firms; you are \(me.user.role.rawValue)") }
        if let registered = me.organisation.publicKeyFingerprint {
            throw TrocExit(
                .conflict,
                "troc: \(me.organisation.name) already has a delivery key (fingerprint \(registered)); to replace it run `troc keys request`: "
                    + "an operator approves it after confirming the new fingerprint with your firm, and it takes effect after a delay")
        }
        let path = out ?? KeyLocation.defaultPath(organisationID: me.organisation.id)
        if FileManager.default.fileExists(atPath: path) && !force {
            throw TrocExit(.conflict, "troc: \(path) exists; pass --force to replace it (deliveries sealed to the old key will no longer open)")
        }
        let privateKey = EnvelopePrivateKey.generate()
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try PrivateFile.write(Data(privateKey.pemText.utf8), to: URL(fileURLWithPath: path))
        let organisation = try await client.registerPublicKey(
            organisationID: me.organisation.id, PublicKeyRegistration(publicKey: privateKey.publicKey.pemText))
        printer.print(organisation) {
            "Private key written to \(path) (keep it; it never leaves this machine).\nPublic key registered for \(organisation.name): fingerprint \(privateKey.publicKey.fingerprint)\n"
        }
    }
}

/// Where `troc keygen` and `troc keys request` keep a firm's private keys: `keys/<org>.pem`, then `keys/<org>.<fingerprint>.pem`.
enum KeyLocation {
    static func defaultPath(organisationID: String) -> String {
        ProfileStore().directory.appendingPathComponent("keys/\(organisationID).pem").path
    }

    /// Where `troc keys request` writes the private key of a requested key.
    static func changedKeyPath(organisationID: String, fingerprint: String) -> String {
        ProfileStore().directory.appendingPathComponent("keys/\(organisationID).\(KeyFingerprint.normalised(fingerprint)).pem").path
    }

    /// The private key a download is sealed to: `explicit` if given (checked against `fingerprint`), otherwise the firm's key
    /// file whose public key has that fingerprint (the default file when the broker names none).
    static func find(organisationID: String, fingerprint: String?, explicit: String?) throws -> EnvelopePrivateKey {
        if let explicit {
            let key = try load(explicit)
            if let fingerprint, key.publicKey.fingerprint != fingerprint {
                throw TrocExit(
                    .badInput, "troc: \(explicit) is the key \(key.publicKey.fingerprint), but the download is sealed to \(fingerprint)")
            }
            return key
        }
        let defaultPath = defaultPath(organisationID: organisationID)
        guard let fingerprint else { return try load(defaultPath) }
        let directory = (defaultPath as NSString).deletingLastPathComponent
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names.sorted() where name == "\(organisationID).pem" || (name.hasPrefix("\(organisationID).") && name.hasSuffix(".pem")) {
            let path = (directory as NSString).appendingPathComponent(name)
            if let key = try? load(path), key.publicKey.fingerprint == fingerprint { return key }
        }
        throw TrocExit(
            .usage,
            "troc: the download is sealed to your firm's key \(fingerprint), and no private key in \(directory) matches it; pass --key FILE")
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
        try await options.run { try await run($0, $1) }
    }

    /// Runs the command with `client`, writing its result to `printer`.
    func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
        let key = try await client.brokerKey()
        printer.print(key) { "Fingerprint: \(key.fingerprint)\nSuite: \(key.suite)\n\(key.publicKey)" }
    }
}
