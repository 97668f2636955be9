import ArgumentParser
import Foundation
import TrocCrypto

/// Where the broker keeps its data and its master key.
struct StorageOptions: ParsableArguments {
    @Option(help: "Data directory (troc.sqlite and blobs/).")
    var data = "./troc-data"

    @Option(
        name: .customLong("master-key-file"),
        help: "File holding the base64 master key (0600, outside the data directory). TROC_MASTER_KEY overrides it.")
    var masterKeyFile = "./troc-master.key"

    /// The master key from TROC_MASTER_KEY or the key file; with `create`, a new key is written to the file if there is none.
    func masterKey(create: Bool = false) throws -> (key: MasterKey, created: Bool) {
        if let text = ProcessInfo.processInfo.environment["TROC_MASTER_KEY"], !text.isEmpty {
            do {
                return (try MasterKey(base64Text: text), false)
            } catch {
                throw ValidationError("TROC_MASTER_KEY: \(error)")
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

    var databasePath: String { (data as NSString).appendingPathComponent("troc.sqlite") }
    var blobsDirectory: String { (data as NSString).appendingPathComponent("blobs") }
}
