import Foundation
import Testing
import TrocCore

/// Quotas as an operator sets them and a firm meets them, through `trocd admin settings` and `troc`.
@Suite struct ResourcesEndToEndTests {
    typealias World = BrokerEndToEndTests.World

    @Test func aFirmAtItsQuotaIsToldWhatToDeleteAndDeletingFreesItsPlace() throws {
        let world = try World.make("quota")
        defer { world.cleanUp() }
        func settings(_ arguments: String...) throws -> CommandResult {
            try run(Binaries.trocd, ["admin", "settings"] + arguments, in: world.directory)
        }
        for (assignment, expected) in [
            ("firm-storage-quota=12XB", "firm-storage-quota=12XB: expected a size such as 10GiB"),
            ("firm-storage-quota=100", "firm-storage-quota=100: must be 1024 bytes (1 KiB) to"),
            ("firm-file-quota=0", "firm-file-quota=0: must be 1 to 100000 files"),
        ] {
            let refused = try settings("set", assignment, "--reason", "test")
            #expect(refused.status == 1 && refused.error.contains(expected), "\(assignment): \(refused.status) \(refused.error)")
        }
        let set = try settings("set", "firm-storage-quota=1MiB", "firm-file-quota=1", "--reason", "small firms")
        #expect(set.status == 0, "\(set.error)")
        #expect(set.output.contains("quotas per firm: storage 1 MiB (1048576 bytes), files 1"), "\(set.output)")

        let file = world.directory.appendingPathComponent("prospects.csv")
        try Data(BrokerEndToEndTests.contacts.utf8).write(to: file)
        try world.joinery.succeed("keygen")
        let stored = try world.joinery.succeed("upload", file.path, "--json").json(StoredFile.self)
        let refused = try world.joinery.troc("upload", file.path)
        #expect(refused.status == 2, "\(refused.status) \(refused.error)")
        #expect(refused.error.contains("quota.files") && refused.error.contains("troc files delete"), "\(refused.error)")

        let deleted = try world.joinery.succeed("files", "delete", stored.id)
        #expect(deleted.output == "Deleted \(stored.id).\n")
        #expect(try world.joinery.troc("files", "show", stored.id).status == 4)
        try world.joinery.succeed("upload", file.path)
    }
}
