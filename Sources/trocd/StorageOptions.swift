import ArgumentParser
import Foundation
import TrocCrypto
import TrocPostgres
import TrocStore

/// Where the broker keeps its data and its master key.
struct StorageOptions: ParsableArguments {
    /// The systemd credential holding the master key (`LoadCredential=troc-master-key:/etc/troc/master.key`).
    static let masterKeyCredential = "troc-master-key"

    @Option(help: "Data directory (troc.sqlite and blobs/); TROC_DATA overrides the default.")
    var data = ProcessInfo.processInfo.environment["TROC_DATA"] ?? "./troc-data"

    @Option(
        name: .customLong("master-key-file"),
        help:
            "File holding the base64 master key (0600, outside the data directory). TROC_MASTER_KEY, then the systemd credential troc-master-key, override it."
    )
    var masterKeyFile = "./troc-master.key"

    @Option(
        help: """
            Keep the records in PostgreSQL instead of the data directory's troc.sqlite, so that several trocd share them, such as \
            postgres://troc@db.example.fr/troc?sslmode=verify-full or postgres://troc@/troc?host=/var/run/postgresql. The password \
            comes from TROC_DATABASE_PASSWORD, password-file=PATH in the URL or the systemd credential troc-database-password; never \
            from the command line. TROC_DATABASE \
            overrides the default (the data directory).
            """)
    var database = ProcessInfo.processInfo.environment["TROC_DATABASE"] ?? ""

    /// Where the records are, when in PostgreSQL; a malformed URL is refused.
    func postgresLocation() throws -> PostgresLocation? {
        do {
            return database.isEmpty ? nil : try PostgresLocation(url: database)
        } catch {
            throw ValidationError(String(describing: error))
        }
    }

    /// Refuses `--database` for a command that works on the data directory's SQLite file only, saying what to do instead.
    func requireEmbedded(_ command: String, instead: String) throws {
        guard database.isEmpty else { throw ValidationError("\(command) works on the data directory's troc.sqlite only: \(instead)") }
    }

    /// Where the master key comes from when not from the key file: TROC_MASTER_KEY, else the systemd credential that
    /// `LoadCredential=` put in `$CREDENTIALS_DIRECTORY` (readable by the service alone, gone when it stops); nil for the file.
    static func overridingKeySource(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> (name: String, read: @Sendable () throws -> String)? {
        if let text = environment["TROC_MASTER_KEY"], !text.isEmpty { return ("TROC_MASTER_KEY", { text }) }
        if let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty {
            let path = (directory as NSString).appendingPathComponent(masterKeyCredential)
            if FileManager.default.fileExists(atPath: path) {
                return ("the systemd credential \(masterKeyCredential) (\(path))", { try String(contentsOfFile: path, encoding: .utf8) })
            }
        }
        return nil
    }

    /// The master key from TROC_MASTER_KEY, the systemd credential or the key file; with `create`, a new key is written to
    /// the file if there is none.
    func masterKey(create: Bool = false) throws -> (key: MasterKey, created: Bool) {
        if let finished = try finishInterruptedRotation() {
            FileHandle.standardError.write(Data((finished + "\n").utf8))
        }
        if let source = Self.overridingKeySource() {
            do {
                return (try MasterKey(base64Text: try source.read()), false)
            } catch {
                throw ValidationError("\(source.name): \(error)")
            }
        }
        if !FileManager.default.fileExists(atPath: masterKeyFile) {
            guard create else {
                throw ValidationError(
                    "no master key at \(masterKeyFile): pass --master-key-file, set TROC_MASTER_KEY, or start with --dev to create one")
            }
            let key = MasterKey.generate()
            try SecretFile.write(Data((key.base64Text + "\n").utf8), to: masterKeyFile)
            return (key, true)
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: masterKeyFile)
        if let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
            throw ValidationError("\(masterKeyFile) is readable by others (mode \(String(mode, radix: 8))): chmod 600 \(masterKeyFile)")
        }
        do {
            return (try MasterKey(base64Text: String(contentsOfFile: masterKeyFile, encoding: .utf8)), false)
        } catch {
            throw ValidationError("\(masterKeyFile): \(error)")
        }
    }

    /// Finishes a master-key rotation killed after the database moved to the new key but before the key file did: the rows
    /// then name the key waiting in `<key file>.next`, so it becomes the key file and the old one is kept as `.previous`, as
    /// the rotation itself would have left them. Returns what it did, or nil when there was nothing to finish (no `.next`,
    /// or one from a rotation killed before the database changed, which the next rotation overwrites).
    func finishInterruptedRotation() throws -> String? {
        let next = masterKeyFile + ".next"
        let files = FileManager.default
        guard Self.overridingKeySource() == nil, files.fileExists(atPath: next), files.fileExists(atPath: databasePath) else { return nil }
        let nextKey: MasterKey
        do {
            nextKey = try MasterKey(base64Text: String(contentsOfFile: next, encoding: .utf8))
        } catch {
            throw ValidationError("\(next) (left by an interrupted rotate-master-key): \(error)")
        }
        // Checked before any broker opens, on the data directory's own file: the keys in it decide which key file is current.
        guard let named = try AppDatabase.openOnDisk(at: databasePath).activeBrokerKey()?.masterKeyID, named == nextKey.id.description else {
            return nil
        }
        try promoteNextKey()
        return "trocd: finished an interrupted master-key rotation: the stored keys are under \(named), now in \(masterKeyFile); "
            + "the old key is in \(masterKeyFile).previous"
    }

    /// The last step of a rotation: `<key file>.next` becomes the key file, the old one `<key file>.previous`.
    func promoteNextKey() throws {
        let files = FileManager.default
        let previous = masterKeyFile + ".previous"
        if files.fileExists(atPath: masterKeyFile) {
            if files.fileExists(atPath: previous) { try files.removeItem(atPath: previous) }
            try files.moveItem(atPath: masterKeyFile, toPath: previous)
        }
        try files.moveItem(atPath: masterKeyFile + ".next", toPath: masterKeyFile)
    }

    var databasePath: String { (data as NSString).appendingPathComponent("troc.sqlite") }
    var blobsDirectory: String { (data as NSString).appendingPathComponent("blobs") }
}
