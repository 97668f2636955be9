import Foundation
import Testing
import TrocTestSupport

/// `trocd admin rotate-master-key` killed between the database's commit and the key file's move (found by the crash
/// campaign, kill 51): the rows are under the new key, which waits in `troc-master.key.next`.
@Suite struct RotationEndToEndTests {
    @Test func aRotationKilledBeforeTheKeyFileMovedIsFinishedAtTheNextStart() throws {
        let directory = try temporaryDirectory("rotation")
        defer { try? FileManager.default.removeItem(at: directory) }
        let initialised = try run(
            Binaries.trocd,
            [
                "admin", "init", "--name", "Troc SAS", "--siren", "303265045", "--street", "1 rue de la Paix", "--postcode", "75002", "--city",
                "Paris", "--vat-number", "FR40303265045", "--operator-name", "Olivia",
            ], in: directory)
        try #require(initialised.status == 0, "\(initialised.error)")
        let keyFile = directory.appendingPathComponent("troc-master.key")
        let oldKey = try String(contentsOf: keyFile, encoding: .utf8)
        let rotated = try run(Binaries.trocd, ["admin", "rotate-master-key"], in: directory)
        try #require(rotated.status == 0, "\(rotated.error)")
        let newKey = try String(contentsOf: keyFile, encoding: .utf8)
        // Back to where the kill left it: the new key still in .next, the old one still the key file.
        let files = FileManager.default
        try files.moveItem(at: keyFile, to: directory.appendingPathComponent("troc-master.key.next"))
        try files.moveItem(at: directory.appendingPathComponent("troc-master.key.previous"), to: keyFile)

        let shown = try run(Binaries.trocd, ["admin", "settings", "show"], in: directory)
        #expect(shown.status == 0, "\(shown.error)")
        #expect(shown.error.contains("finished an interrupted master-key rotation"), "\(shown.error)")
        #expect(try String(contentsOf: keyFile, encoding: .utf8) == newKey)
        #expect(try String(contentsOf: directory.appendingPathComponent("troc-master.key.previous"), encoding: .utf8) == oldKey)
        #expect(!files.fileExists(atPath: directory.appendingPathComponent("troc-master.key.next").path))

        // A .next left by a rotation killed before the database changed is not taken for the key.
        try Data("c3RhbGUgbmV4dCBrZXkgZnJvbSBhIGtpbGxlZCByb3Q=\n".utf8).write(to: directory.appendingPathComponent("troc-master.key.next"))
        let again = try run(Binaries.trocd, ["admin", "settings", "show"], in: directory)
        #expect(again.status == 0 && !again.error.contains("interrupted"), "\(again.error)")
        #expect(try String(contentsOf: keyFile, encoding: .utf8) == newKey)
    }
}
