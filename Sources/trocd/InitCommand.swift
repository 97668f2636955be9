import ArgumentParser
import Foundation
import TrocCore
import TrocCrypto
import TrocServer
import TrocStore

/// `trocd admin init`: the broker's own organisation and its first operator, whose token is printed once.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create the broker organisation and a first operator.")

    @OptionGroup var storage: StorageOptions

    @Option(help: "The broker's legal name.") var name: String
    @Option(help: "The broker's SIREN.") var siren: String
    @Option(name: .customLong("vat-number"), help: "The broker's own VAT number (required with --iban and --bic to invoice).") var vatNumber: String?
    @Option(help: "The broker's NAF code.") var naf = "63.11Z"
    @Option(help: "Street address.") var street: String
    @Option(help: "Postcode.") var postcode: String
    @Option(help: "City.") var city: String
    @Option(help: "Country code.") var country = "FR"
    @Option(help: "IBAN partners pay invoices into (with --bic, completes the invoicing identity; else set it later).") var iban: String?
    @Option(help: "BIC of that account.") var bic: String?
    @Option(name: .customLong("operator-name"), help: "The first operator's name.") var operatorName: String
    @Option(name: .customLong("operator-email"), help: "The first operator's email.") var operatorEmail: String?

    func run() async throws {
        let token = try await AdminBroker.with(storage, create: true) { broker in
            if let existing = try await broker.store.brokerOrganisation() {
                throw ValidationError(
                    "the broker is already initialised (\(existing.name), \(existing.id)); create more operators with `troc users create`")
            }
            let identity = BrokerSetup.Identity(
                name: name, siren: siren, vatNumber: vatNumber, nafCode: naf,
                address: PostalAddress(street: street, postcode: postcode, city: city, countryCode: country), iban: iban, bic: bic)
            let token: String
            do {
                token = try await BrokerSetup.initialise(broker, identity: identity, operatorName: operatorName, email: operatorEmail)
            } catch {
                throw SettingsInputError(error)
            }
            return token
        }
        print("Broker organisation created. First operator token (shown once, store it now):")
        print(token)
        if iban == nil || bic == nil {
            print("Releases cannot invoice until the invoicing identity is complete: trocd admin settings set iban=… bic=…")
        }
    }
}

/// `trocd admin rotate-master-key`: rewraps every data key under a new master key; blobs are not touched.
struct RotateMasterKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-master-key",
        abstract: "Rewrap every data key under a new master key (blobs untouched).",
        discussion: """
            The new key is written to <master-key-file>.next before the database changes, then moved into place;
            the previous key is kept as <master-key-file>.previous until you remove it. Stop the daemon first.
            """
    )

    @OptionGroup var storage: StorageOptions

    @Option(name: .customLong("new-key-file"), help: "Use this base64 key as the new master key instead of generating one.")
    var newKeyFile: String?

    func run() async throws {
        try storage.requireEmbedded(
            "rotate-master-key", instead: "the records in PostgreSQL keep their keys wrapped the same way; rotating them there is not supported yet")
        if let source = StorageOptions.overridingKeySource() {
            throw ValidationError(
                "the master key comes from \(source.name): rotation rewrites the key file, so unset it and pass --master-key-file (see Deploy/README.md)"
            )
        }
        let (oldKey, _) = try storage.masterKey()
        let newKey = try newKeyFile.map { try MasterKey(base64Text: String(contentsOfFile: $0, encoding: .utf8)) } ?? MasterKey.generate()
        let next = storage.masterKeyFile + ".next"
        let previous = storage.masterKeyFile + ".previous"
        // The new key is safe on disk before any row depends on it.
        try SecretFile.write(Data((newKey.base64Text + "\n").utf8), to: next)
        // Only the records are needed, not a broker (no blob sweep, no audit key): the data directory's file is opened as the
        // embedded backend, and its keys rewrapped through the seam like any record change.
        let store: any RecordStore = try AppDatabase.openOnDisk(at: storage.databasePath)
        let summary = try await store.rotateMasterKey(from: oldKey, to: newKey)
        try storage.promoteNextKey()
        print(
            "Rewrapped \(summary.blobs) blob keys, \(summary.brokerKeys) broker key(s), \(summary.secrets) secret(s) under master key \(newKey.id).")
        print("The new key is in \(storage.masterKeyFile); the old one in \(previous): delete it once backups no longer need it.")
    }
}
