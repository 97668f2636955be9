import Foundation
import Testing
import TrocClient
import TrocCore

/// The daemon and the client for real: TLS on a free port, processes, files on disk.
@Suite(.serialized) struct BrokerEndToEndTests {
    static let contacts = """
        Civilité;Nom;Prénom;E-mail;Téléphone;Raison sociale;SIRET;Source;Date de collecte;Opt-in
        M.;Martin;Jean;jean.martin@menuiserie-exemple.fr;06 12 34 56 78;Menuiserie Exemple;73282932000074;salon Batimat;01/10/2026;oui
        Mme;Durand;Claire;claire.durand@orange.fr;01 42 68 53 00;;;site web;15/09/2026;oui
        M.;Petit;Paul;paul.petit@exemple.fr;0612;ACME;;site web;12/11/2026;non

        """

    /// A broker with two partner firms registered, their users logged in: the starting point of most scenarios.
    struct World {
        let directory: URL
        let daemon: Daemon
        let operatorUser: TrocUser
        let joinery: TrocUser
        let heating: TrocUser
        let joineryID: String
        let heatingID: String

        /// With `prepare`, run on the new directory before the daemon starts (to mount its data directory, say).
        static func make(
            _ label: String, daemonArguments: [String] = [], environment: [String: String] = [:], prepare: (URL) throws -> Void = { _ in }
        ) throws -> World {
            let directory = try temporaryDirectory(label)
            try prepare(directory)
            let daemon = try Daemon(in: directory, arguments: ["--dev", "--port", "0"] + daemonArguments, environment: environment)
            let token = try #require(daemon.operatorToken, "the dev daemon prints a first operator token:\n\(daemon.output)")
            // The scenarios' files are small: let their deals match (the default minimum is 500 exchangeable contacts).
            let lowered = try run(
                Binaries.trocd, ["admin", "settings", "set", "min-exchangeable=1", "--reason", "small test files"], in: directory,
                environment: environment)
            #expect(lowered.status == 0 && lowered.output.contains("at least 1 exchangeable contacts"), "\(lowered.error)\(lowered.output)")
            let ca = directory.appendingPathComponent("troc-dev-cert.pem").path
            let operatorUser = try TrocUser("operator", in: directory)
            try operatorUser.succeed("login", "--server", daemon.url, "--token", token, "--ca", ca)
            let joineryID = try operatorUser.succeed(
                "orgs", "create", "--json", "--name", "Menuiseries Durand SARL", "--siren", "732829320", "--naf", "43.32A", "--street",
                "2 avenue des Artisans", "--postcode", "69001", "--city", "Lyon", "--vat-status", "registered", "--vat-number", "FR44732829320",
                "--iban", "FR76 3000 4000 0312 3456 7890 143", "--bic", "BNPAFRPP"
            ).json(Organisation.self).id
            let heatingID = try operatorUser.succeed(
                "orgs", "create", "--json", "--name", "Géothermie Martin SAS", "--siret", "55210055400013", "--naf", "43.22B", "--street",
                "12 chemin des Sources", "--postcode", "33000", "--city", "Bordeaux", "--vat-status", "registered", "--vat-number", "FR96552100554",
                "--iban", "FR14 2004 1010 0505 0001 3M02 606", "--bic", "PSSTFRPPXXX"
            ).json(Organisation.self).id
            func partner(_ name: String, _ organisationID: String) throws -> TrocUser {
                let created = try operatorUser.succeed("users", "create", "--json", "--name", name, "--role", "partner", "--org", organisationID)
                    .json(CreatedUser.self)
                let user = try TrocUser(name, in: directory)
                try user.succeed("login", "--server", daemon.url, "--token", created.token.token, "--ca", ca)
                // Each firm lets the broker issue its invoices, as a firm does once before its first swap.
                try user.succeed("mandate", "accept")
                return user
            }
            return World(
                directory: directory, daemon: daemon, operatorUser: operatorUser, joinery: try partner("jeanne", joineryID),
                heating: try partner("hugo", heatingID), joineryID: joineryID, heatingID: heatingID)
        }

        /// Points `user`'s profile at `daemon` (a restarted daemon listens on a new port), same token.
        func relogin(_ user: TrocUser, to daemon: Daemon, certificate: URL? = nil) throws {
            let profile = try ProfileStore(environment: ["TROC_CONFIG_DIR": user.home.path]).load("default")
            let ca = certificate ?? directory.appendingPathComponent("troc-dev-cert.pem")
            try user.succeed("login", "--server", daemon.url, "--token", profile.token, "--ca", ca.path)
        }

        func cleanUp() {
            daemon.stop()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test func aPartnerUploadsEncryptedAndDownloadsItsFileBack() throws {
        let world = try World.make("transfer")
        defer { world.cleanUp() }
        let file = world.directory.appendingPathComponent("prospects.csv")
        try Data(Self.contacts.utf8).write(to: file)

        try world.joinery.succeed("keygen")
        let stored = try world.joinery.succeed("upload", file.path, "--json").json(StoredFile.self)
        #expect(stored.name == "prospects.csv")
        #expect(stored.report.rows == 3 && stored.report.contacts == 3)
        #expect(stored.report.rejected["phone.too-short"] == 1)
        #expect(stored.report.rejections.first { $0.reason == .phoneTooShort }?.line == 4)
        // Claire Durand (orange.fr, no company) is a consumer: her opt-in counts for email only and covers no partner.
        #expect(stored.report.rejected["consent.phone-missing"] == 1 && stored.report.rejected["consent.partners-missing"] == 1)
        #expect(stored.report.encoding == "UTF-8" && stored.report.delimiter == ";")

        let listed = try world.joinery.succeed("files", "list", "--json").json([StoredFile].self)
        #expect(listed.map(\.id) == [stored.id])

        let output = world.directory.appendingPathComponent("back.csv")
        try world.joinery.succeed("download", stored.id, "-o", output.path)
        #expect(try Data(contentsOf: output) == Data(Self.contacts.utf8))

        // The other firm sees neither the file nor its content: 404, exit code 4.
        #expect(try world.heating.troc("files", "show", stored.id).status == 4)
        #expect(try world.heating.troc("download", stored.id, "-o", output.path + ".2").status == 4)
        #expect(!FileManager.default.fileExists(atPath: output.path + ".2"))

        // The daemon's log holds no contact data, and no token beyond the first operator's, printed once at set-up.
        let log = world.daemon.output.split(separator: "\n").filter { !$0.contains("First operator token") && !$0.contains("troc login") }.joined(
            separator: "\n")
        for secret in ["jean.martin", "06 12 34 56 78", "troc_"] { #expect(!log.contains(secret), "the log shows \(secret)") }
        #expect(world.daemon.stop() == 0)
    }

    @Test func refusalsHaveTheirExitCodes() throws {
        let world = try World.make("refusals")
        defer { world.cleanUp() }
        let bank = try world.operatorUser.troc(
            "orgs", "create", "--name", "Banque X", "--siren", "303265045", "--naf", "64.19Z", "--street", "1 rue", "--postcode", "75001", "--city",
            "Paris", "--vat-status", "registered", "--vat-number", "FR40303265045", "--iban", "FR7630006000011234567890189", "--bic", "AGRIFRPP")
        #expect(bank.status == 2)
        #expect(bank.error.contains("sector.confidential"))
        let badSIREN = try world.operatorUser.troc(
            "orgs", "create", "--name", "X", "--siren", "123456789", "--naf", "56.10A", "--street", "1 rue", "--postcode", "75001", "--city", "Paris",
            "--vat-status", "franchise", "--iban", "FR7630006000011234567890189", "--bic", "AGRIFRPP")
        #expect(badSIREN.status == 2 && badSIREN.error.contains("siren"))
        // NAF 2025 codes are recognised; a bare class found in both nomenclatures asks for --nomenclature; a code valid in
        // neither is refused naming the field.
        func farm(_ naf: String, _ extra: String...) throws -> CommandResult {
            let user = world.operatorUser
            let arguments = [
                "orgs", "create", "--json", "--name", "Ferme du Bocage", "--siren", "987654308", "--naf", naf, "--street", "1 rue", "--postcode",
                "44000", "--city", "Nantes", "--vat-status", "franchise", "--iban", "FR7630006000011234567890189", "--bic", "AGRIFRPP",
            ]
            return try run(Binaries.troc, arguments + extra, in: user.home, environment: ["TROC_CONFIG_DIR": user.home.path])
        }
        let ambiguous = try farm("01.11")
        #expect(ambiguous.status == 2 && ambiguous.error.contains("nafCode: 01.11 is ambiguous") && ambiguous.error.contains("--nomenclature"))
        let neither = try farm("43.32Y")
        #expect(neither.status == 2 && neither.error.contains("nafCode: 43.32Y is valid in neither NAF rév. 2 nor NAF 2025"), "\(neither.error)")
        let registered = try farm("01.11", "--nomenclature", "naf2025")
        #expect(registered.status == 0, "\(registered.error)")
        let organisation = try registered.json(Organisation.self)
        #expect(organisation.nafCode == "01.11Y" && organisation.nafNomenclature == .naf2025)
        // Partners cannot administer (403 → exit 3); a revoked token is refused (401 → exit 3).
        #expect(try world.joinery.troc("audit").status == 3)
        let tokens = try world.joinery.succeed("tokens", "list", "--json").json([TokenInfo].self)
        try world.joinery.succeed("tokens", "revoke", tokens[0].id)
        let afterRevoke = try world.joinery.troc("whoami")
        #expect(afterRevoke.status == 3 && afterRevoke.error.contains("auth.revoked-token"))
        // A broker nobody listens on: exit 7.
        let nowhere = try TrocUser("nowhere", in: world.directory)
        let unreachable = try nowhere.troc("login", "--server", "https://localhost:1", "--token", "troc_x")
        #expect(unreachable.status == 7)
        // Bad usage: exit 1.
        #expect(try nowhere.troc("login").status == 1)
    }
}
