import Foundation
import Testing
import TrocClient
import TrocCore

/// The real broker with its data directory on a small tmpfs that fills during an upload, turns read-only while it
/// serves, or is read-only at start: writes get a clear problem, nothing stored is damaged, reads go on, and writes
/// work again once space or write access returns, without a restart.
@Suite(.serialized, .enabled(if: TmpfsMount.available, "mounting a tmpfs for the data directory needs root and /usr/bin/mount"))
struct DiskFaultEndToEndTests {
    typealias World = BrokerEndToEndTests.World

    @Test func aDiskThatFillsDuringAnUploadRefusesItAndTheBrokerKeepsServing() throws {
        var mounted: TmpfsMount?
        let world = try World.make("disk-full") { mounted = try TmpfsMount(at: $0.appendingPathComponent("troc-data"), megabytes: 8) }
        let tmpfs = try #require(mounted)
        defer { Self.cleanUp(world.daemon, tmpfs, world.directory) }
        try world.joinery.succeed("keygen")
        try world.heating.succeed("keygen")
        let stored = try world.joinery.succeed("upload", DealEndToEndTests.joineryFile, "--json").json(StoredFile.self)
        try world.joinery.succeed(
            "deal", "propose", "--with", world.heatingID, "--price-per-1000", DealEndToEndTests.pricePer1000, "--policy", "equal-count")
        let big = world.directory.appendingPathComponent("big.csv")
        try Self.writeContactFile(megabytes: 12, to: big)

        // 12 MiB do not fit in what is left of 8: the blob's write fails part way.
        let refused = try world.joinery.troc("upload", big.path)
        #expect(refused.status == 6, "\(refused.error)")
        #expect(refused.error.contains("(storage.full, HTTP 507)") && refused.error.contains("nothing of this request was kept"), "\(refused.error)")
        try CrashWorkload(world: world).checkStorage(after: "the full disk")
        try Self.readsGoOn(world, stored: stored)

        // Space returns: the same upload goes in, to the same running broker.
        try tmpfs.remount("size=64m")
        let big2 = try world.joinery.succeed("upload", big.path, "--json").json(StoredFile.self)
        #expect(big2.report.rows > 100_000)
        try CrashWorkload(world: world).checkStorage(after: "the upload once space returned")
    }

    @Test func aReadOnlyDataDirectoryRefusesWritesWhileServingAndTheStart() throws {
        var mounted: TmpfsMount?
        let world = try World.make("read-only") { mounted = try TmpfsMount(at: $0.appendingPathComponent("troc-data"), megabytes: 64) }
        let tmpfs = try #require(mounted)
        var daemon = world.daemon
        defer { Self.cleanUp(daemon, tmpfs, world.directory) }
        try world.joinery.succeed("keygen")
        try world.heating.succeed("keygen")
        let stored = try world.joinery.succeed("upload", DealEndToEndTests.joineryFile, "--json").json(StoredFile.self)
        try world.joinery.succeed(
            "deal", "propose", "--with", world.heatingID, "--price-per-1000", DealEndToEndTests.pricePer1000, "--policy", "equal-count")

        // While serving: the directory turns read-only under the broker.
        try tmpfs.coverReadOnly()
        let refused = try world.joinery.troc("upload", DealEndToEndTests.joineryFile)
        #expect(refused.status == 6, "\(refused.error)")
        #expect(refused.error.contains("(storage.read-only, HTTP 503)") && refused.error.contains("reading works"), "\(refused.error)")
        try Self.readsGoOn(world, stored: stored)
        try tmpfs.uncover()
        try world.joinery.succeed("upload", DealEndToEndTests.joineryFile)
        try CrashWorkload(world: world).checkStorage(after: "the read-only spell")

        // At start: refused with a sentence and sysexits' EX_CANTCREAT, before anything is opened.
        #expect(daemon.stop() == 0)
        try tmpfs.remount("ro")
        let start = try run(
            URL(fileURLWithPath: "/usr/bin/timeout"), ["60", Binaries.trocd.path, "serve", "--dev", "--port", "0"], in: world.directory)
        #expect(start.status == 73, "\(start.error)\(start.output)")
        #expect(start.error.contains("troc-data is on a read-only file system") && start.error.contains("mount -o remount,rw"), "\(start.error)")
        try tmpfs.remount("rw")
        daemon = try Daemon(in: world.directory)
        try world.relogin(world.joinery, to: daemon)
        try Self.readsGoOn(world, stored: stored)
        try CrashWorkload(world: world).checkStorage(after: "the read-only start")
    }

    /// `/v1/me`, the deal list and the download of a file stored before all answer.
    static func readsGoOn(_ world: World, stored: StoredFile) throws {
        try world.joinery.succeed("whoami")
        #expect(try world.joinery.succeed("deal", "list", "--json").json([Deal].self).count == 1)
        let back = world.directory.appendingPathComponent("back-\(UUID().uuidString.prefix(8)).csv")
        try world.joinery.succeed("download", stored.id, "-o", back.path)
        #expect(try Data(contentsOf: back) == Data(contentsOf: URL(fileURLWithPath: DealEndToEndTests.joineryFile)))
    }

    /// A contact file of about `megabytes` MiB, each row a distinct business contact.
    static func writeContactFile(megabytes: Int, to url: URL) throws {
        var text = "Civilité;Nom;Prénom;E-mail;Téléphone;Raison sociale;SIRET;Source;Date de collecte;Opt-in\n"
        var row = 0
        while text.utf8.count < megabytes << 20 {
            text += "M.;Martin;Jean;jean.martin.\(row)@menuiserie-exemple.fr;;Menuiserie Exemple;;salon Batimat;01/10/2026;oui\n"
            row += 1
        }
        try Data(text.utf8).write(to: url)
    }

    /// Stops the daemon before unmounting its data directory, then removes the test's directory.
    static func cleanUp(_ daemon: Daemon, _ tmpfs: TmpfsMount, _ directory: URL) {
        daemon.stop()
        tmpfs.unmount()
        try? FileManager.default.removeItem(at: directory)
    }
}
