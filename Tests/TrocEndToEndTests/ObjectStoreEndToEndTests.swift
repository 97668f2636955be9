import Foundation
import Testing
import TrocClient
import TrocObjectStore
import TrocTestSupport

/// `trocd serve --blobs s3://…` on a real SeaweedFS: files go to the bucket, not the data directory, and
/// `trocd admin backup --blobs` makes a backup that restores without the bucket.
@Suite(.serialized) struct ObjectStoreEndToEndTests {
    @Test func blobsInTheBucketAreBackedUpIntoABackupThatRestoresWithoutIt() async throws {
        try await SeaweedFS.withServer {
            let server = try #require(SeaweedFS.current)
            let credentials = ["AWS_ACCESS_KEY_ID": SeaweedFS.accessKeyID, "AWS_SECRET_ACCESS_KEY": SeaweedFS.secretAccessKey]
            let world = try BrokerEndToEndTests.World.make("objectstore", daemonArguments: ["--blobs", server.url], environment: credentials)
            defer { world.cleanUp() }
            let (fileID, plaintext) = try OperationsEndToEndTests.uploadFile(world)
            let data = world.directory.appendingPathComponent("troc-data")
            // The data directory's blobs/ (which the start-up's short-lived set-up brokers may create) stays empty.
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: data.appendingPathComponent("blobs").path)) ?? []).isEmpty)
            let bucket = try server.client()
            let objects = try await bucket.list(prefix: "blobs/").objects
            await bucket.shutdown()
            #expect(objects.count == 1)

            let downloaded = world.directory.appendingPathComponent("downloaded.csv")
            try world.joinery.succeed("download", fileID, "-o", downloaded.path)
            #expect(try Data(contentsOf: downloaded) == plaintext)

            // Without --blobs, the backup finds no blob file for the row and refuses, rather than leaving an unrestorable copy.
            let refused = try run(Binaries.trocd, ["admin", "backup", world.directory.appendingPathComponent("refused").path], in: world.directory)
            #expect(refused.status != 0)
            #expect(refused.error.contains("does not exist"), "\(refused.error)")
            let backup = world.directory.appendingPathComponent("backup")
            let backedUp = try run(
                Binaries.trocd, ["admin", "backup", backup.path, "--blobs", server.url], in: world.directory, environment: credentials)
            #expect(backedUp.status == 0, "\(backedUp.error)")
            #expect(backedUp.output.contains("Backed up 1 blobs"), "\(backedUp.output)")
            #expect(world.daemon.stop() == 0)

            // Restored into a data directory with a local blobs/, served without the bucket: the file reads back.
            let restored = world.directory.appendingPathComponent("restored-data")
            let restore = try run(Binaries.trocd, ["admin", "restore", backup.path, "--data", restored.path], in: world.directory)
            #expect(restore.status == 0, "\(restore.error)")
            let fromBackup = try Daemon(in: world.directory, arguments: ["--dev", "--port", "0", "--data", restored.path])
            defer { fromBackup.stop() }
            try world.relogin(world.joinery, to: fromBackup)
            let again = world.directory.appendingPathComponent("from-backup.csv")
            try world.joinery.succeed("download", fileID, "-o", again.path)
            #expect(try Data(contentsOf: again) == plaintext)
        }
    }
}
