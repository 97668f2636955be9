import Foundation
import NIOFoundationCompat
import NIOFoundationEssentialsCompat
import Testing
import TrocClient
import TrocCore
import TrocTestSupport

/// Keys, backups and an independent RFC 9180 implementation, against the real daemon.
@Suite(.serialized) struct OperationsEndToEndTests {
    typealias World = BrokerEndToEndTests.World

    /// Uploads the standard file as the joinery and returns its id and the plaintext.
    static func uploadFile(_ world: World) throws -> (String, Data) {
        let file = world.directory.appendingPathComponent("prospects.csv")
        let plaintext = Data(BrokerEndToEndTests.contacts.utf8)
        try plaintext.write(to: file)
        try world.joinery.succeed("keygen")
        return (try world.joinery.succeed("upload", file.path, "--json").json(StoredFile.self).id, plaintext)
    }

    /// Refused settings are explained in the command's keys and units, exit 1, and change nothing.
    @Test func settingsAreRefusedInTheCommandsOwnTerms() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("troc-settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func trocd(_ arguments: String...) throws -> CommandResult { try run(Binaries.trocd, ["admin"] + arguments, in: directory) }
        let initialised = try trocd(
            "init", "--name", "Troc SAS", "--siren", "303265045", "--street", "1 rue de la Paix", "--postcode", "75002", "--city", "Paris",
            "--operator-name", "Olivia")
        #expect(initialised.status == 0, "\(initialised.error)")
        for (assignment, expected) in [
            ("commission=200", "commission=200 %: the commission must be 0 % to 50 %"),
            ("price-min=40", "price-min=40,00 € is above price-max=35,00 €"),
            ("delivery-downloads=0", "delivery-downloads=0: must be 1 to 100 downloads"),
            ("payment-terms-days=90", "payment-terms-days: 90 is outside 0…60"),
            ("commission=abc", "commission=abc: expected a percentage"),
            ("colour=blue", "colour: not a setting"),
            ("dispute-window-days=0", "dispute-window-days=0: must be 1 to 90 days"),
            ("unattached-file-days=365", "unattached-file-days=365: must be 1 to 90 days"),
            ("min-exchangeable=0", "min-exchangeable=0: must be 1 to 1000000 exchangeable contacts"),
            ("reports-per-pair=13", "reports-per-pair=13: must be 1 to 12 reports"),
            ("financial-year-start=02-29", "financial-year-start=02-29: 29 is not a day that month 2 has every year"),
            ("collection-by-broker=maybe", "collection-by-broker=maybe: expected on or off"),
        ] {
            let refused = try trocd("settings", "set", assignment, "--reason", "test")
            #expect(refused.status == 1 && Self.plainSpaces(refused.error).contains(expected), "\(assignment): \(refused.status) \(refused.error)")
            #expect(!refused.error.contains("BasisPoints") && !refused.error.contains("PricePer1000") && !refused.error.contains("Usage:"))
        }
        let shown = try trocd("settings", "show")
        #expect(Self.plainSpaces(shown.output).contains("commission 5 %, price per 1,000 20,00 €–35,00 €"), "\(shown.output)")
        let retention = try trocd("settings", "set", "dispute-window-days=7", "unattached-file-days=14", "--reason", "retention policy")
        #expect(retention.status == 0, "\(retention.error)")
        #expect(
            retention.output.contains(
                "source files purged 7 days after release (dispute window), at once when a deal ends unreleased, 14 days after upload"),
            "\(retention.output)")
        #expect(shown.output.contains("files need at least 500 exchangeable contacts for their deal to match; 2 match reports per pair"))
        let lowered = try trocd("settings", "set", "min-exchangeable=50", "reports-per-pair=3", "--reason", "trial")
        #expect(lowered.status == 0 && lowered.output.contains("at least 50 exchangeable contacts") && lowered.output.contains("3 match reports"))
        #expect(shown.output.contains("each firm pays the other directly") && shown.output.contains("financial year starts on 01-01"))
        let moved = try trocd("settings", "set", "financial-year-start=07-01", "collection-by-broker=on", "--reason", "new financial year")
        #expect(moved.status == 0 && moved.output.contains("financial year starts on 07-01") && moved.output.contains("collects"), "\(moved.error)")
    }

    /// French amounts use no-break spaces before the euro sign; compare with plain ones.
    static func plainSpaces(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{00A0}", with: " ").replacingOccurrences(of: "\u{202F}", with: " ")
    }

    @Test func backupRotationAndRestoreKeepEveryFileReadable() throws {
        let world = try World.make("keys")
        defer { world.cleanUp() }
        let (fileID, plaintext) = try Self.uploadFile(world)
        let directory = world.directory
        let oldKey = try String(contentsOf: directory.appendingPathComponent("troc-master.key"), encoding: .utf8)

        // An online backup while the daemon runs.
        let backup = directory.appendingPathComponent("backup")
        let backedUp = try run(Binaries.trocd, ["admin", "backup", backup.path], in: directory)
        #expect(backedUp.status == 0, "\(backedUp.error)")
        #expect(world.daemon.stop() == 0)

        // Rotation rewraps every key; the old master key no longer opens the broker.
        let rotated = try run(Binaries.trocd, ["admin", "rotate-master-key"], in: directory)
        #expect(rotated.status == 0, "\(rotated.error)")
        let newKey = try String(contentsOf: directory.appendingPathComponent("troc-master.key"), encoding: .utf8)
        #expect(newKey != oldKey)
        #expect(try String(contentsOf: directory.appendingPathComponent("troc-master.key.previous"), encoding: .utf8) == oldKey)
        let refused = try run(
            Binaries.trocd, ["serve", "--dev", "--port", "0"], in: directory,
            environment: ["TROC_MASTER_KEY": oldKey.trimmingCharacters(in: .whitespacesAndNewlines)])
        #expect(refused.status != 0)
        #expect((refused.error + refused.output).contains("master key"))

        let restarted = try Daemon(in: directory)
        defer { restarted.stop() }
        try world.relogin(world.joinery, to: restarted)
        let afterRotation = directory.appendingPathComponent("after-rotation.csv")
        try world.joinery.succeed("download", fileID, "-o", afterRotation.path)
        #expect(try Data(contentsOf: afterRotation) == plaintext)
        restarted.stop()

        // The backup, restored elsewhere, opens with the key it was made under.
        let restoredDirectory = directory.appendingPathComponent("restored")
        let restoredData = restoredDirectory.appendingPathComponent("troc-data")
        try FileManager.default.createDirectory(at: restoredDirectory, withIntermediateDirectories: true)
        let restore = try run(Binaries.trocd, ["admin", "restore", backup.path, "--data", restoredData.path], in: restoredDirectory)
        #expect(restore.status == 0, "\(restore.error)")
        for file in ["troc-dev-cert.pem", "troc-dev-key.pem"] {
            try FileManager.default.copyItem(at: directory.appendingPathComponent(file), to: restoredDirectory.appendingPathComponent(file))
        }
        try SecretText.write(oldKey, to: restoredDirectory.appendingPathComponent("troc-master.key"))
        let fromBackup = try Daemon(in: restoredDirectory, arguments: ["--dev", "--port", "0", "--data", restoredData.path])
        defer { fromBackup.stop() }
        // The joinery's profile points at the first daemon's port: use a fresh login on the restored one.
        let profile = try #require(try? ProfileStore(environment: ["TROC_CONFIG_DIR": world.joinery.home.path]).load("default"))
        let joinery = try TrocUser("jeanne-restored", in: directory)
        try joinery.succeed(
            "login", "--server", fromBackup.url, "--token", profile.token, "--ca", restoredDirectory.appendingPathComponent("troc-dev-cert.pem").path)
        let keys = world.joinery.home.appendingPathComponent("keys")
        try FileManager.default.copyItem(at: keys, to: joinery.home.appendingPathComponent("keys"))
        let restoredCopy = directory.appendingPathComponent("from-backup.csv")
        try joinery.succeed("download", fileID, "-o", restoredCopy.path)
        #expect(try Data(contentsOf: restoredCopy) == plaintext)
    }

    /// pyhpke (an independent RFC 9180 implementation) seals an upload trocd accepts, and opens a download trocd sealed.
    @Test func anIndependentHPKEImplementationInteroperates() async throws {
        let world = try World.make("pyhpke")
        defer { world.cleanUp() }
        let directory = world.directory
        let script = Repository.file("Tests/Interop/hpke_envelope.py").path
        // The python3 on PATH: the one `pip install pyhpke` (.ci/run) installed into.
        let check = try ExternalTool.run("python3", ["-c", "import pyhpke"])
        try #require(check.status == 0, "the interop test needs pyhpke: pip install pyhpke (\(check.error))")

        try world.joinery.succeed("keygen")
        let profile = try ProfileStore(environment: ["TROC_CONFIG_DIR": world.joinery.home.path]).load("default")
        let client = try TrocAPIClient(profile: profile)
        let me = try await client.me()
        let brokerKey = try await client.brokerKey()
        let brokerKeyFile = directory.appendingPathComponent("broker.pem")
        try Data(brokerKey.publicKey.utf8).write(to: brokerKeyFile)
        let plain = directory.appendingPathComponent("plain.csv")
        try Data(String(repeating: BrokerEndToEndTests.contacts, count: 40).utf8).write(to: plain)
        let sealed = directory.appendingPathComponent("sealed.bin")
        let encrypt = try ExternalTool.run(
            "python3",
            [
                script, "encrypt", brokerKeyFile.path, plain.path, sealed.path, "--purpose",
                TransferPurpose.upload(organisationID: me.organisation.id), "--chunk-size", "4096",
            ])
        try #require(encrypt.status == 0, "\(encrypt.error)")

        let envelope = try Data(contentsOf: sealed)
        let body = AsyncBytes(chunks: stride(from: 0, to: envelope.count, by: 5000).map { envelope[$0..<min(envelope.count, $0 + 5000)] })
        let stored = try await client.uploadFile(name: "pyhpke.csv", body: body, length: Int64(envelope.count))
        #expect(stored.byteCount == (try Data(contentsOf: plain)).count)

        var downloaded = Data()
        _ = try await client.download(Endpoint(.fileContent, stored.id)) { downloaded.append(Data(buffer: $0)) }
        await client.shutdown()
        let download = directory.appendingPathComponent("download.bin")
        try downloaded.write(to: download)
        let privateKey = world.joinery.home.appendingPathComponent("keys/\(me.organisation.id).pem")
        let opened = directory.appendingPathComponent("opened.csv")
        let decrypt = try ExternalTool.run(
            "python3", [script, "decrypt", privateKey.path, download.path, opened.path, "--purpose", TransferPurpose.download(fileID: stored.id)])
        #expect(decrypt.status == 0, "\(decrypt.error)")
        #expect(try Data(contentsOf: opened) == Data(contentsOf: plain))
    }
}

/// Secret text files for tests: 0600.
enum SecretText {
    static func write(_ text: String, to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
    }
}
