import ArgumentParser
import Foundation
import Logging
import TrocObjectStore
import TrocServer
import TrocStore

/// `trocd admin migrate --from DATA_DIR`: an embedded broker's records into PostgreSQL, its blobs into an object store.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Move an embedded broker's records to PostgreSQL and its blobs to an object store, verified.",
        discussion: """
            Stop the embedded broker first: what it records after the copy's snapshot stays behind. The PostgreSQL database \
            (--database) must hold no broker yet; its schema is created if needed. The records are copied in one transaction \
            (all or nothing), the blobs as they are stored (sealed under the same master key, which both must use). Then the \
            copy is checked: every table counts what the embedded database counts, the audit trail verifies in PostgreSQL and \
            extends the head it had in SQLite, and the newest blob decrypts from its new place to the same bytes. Without \
            --blobs, the blobs stay in DATA_DIR/blobs and one trocd serves them with --data DATA_DIR --database …. Keep \
            DATA_DIR until the cluster has served for a while: it is the way back.
            """)

    @OptionGroup var storage: StorageOptions

    @Option(name: .customLong("from"), help: "The embedded broker's data directory (troc.sqlite and blobs/).")
    var from: String

    @Option(
        help: """
            The object store the blobs go to, as `trocd serve --blobs` names it (s3://bucket?endpoint=…; credentials from \
            AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or credentials-file=PATH).
            """)
    var blobs: String?

    func run() async throws {
        guard let location = try storage.postgresLocation() else {
            throw ValidationError("name the PostgreSQL database the records go to with --database postgres://… (or TROC_DATABASE)")
        }
        let objectStore = try blobs.map { try ObjectStoreConfiguration(url: $0) }
        let (masterKey, _) = try storage.masterKey()
        var logger = Logger(label: "trocd.migrate")
        logger.logLevel = .warning
        let records = try await PostgresRecords.connect(location, logger: logger)
        let report: EmbeddedMigration.Report
        do {
            report = try await EmbeddedMigration(source: from, masterKey: masterKey, objectStore: objectStore).run(into: records.store)
            await records.close()
        } catch {
            await records.close()
            throw error
        }
        let rows = report.tables.reduce(0) { $0 + $1.rows }
        print("Copied \(rows) rows in \(report.tables.count) tables into \(location):")
        for (table, count) in report.tables where count > 0 { print("  \(table): \(count)") }
        if let objectStore {
            print(
                "Blobs: \(report.blobsUploaded) uploaded and \(report.blobsPresent) already there (\(report.blobBytes) bytes) in \(objectStore.bucket)."
            )
        } else {
            print("Blobs: left in \(from)/blobs; serve them with one trocd started with --data \(from).")
        }
        let head = (report.audit.lastMAC ?? Data()).map { String(format: "%02x", $0) }.joined()
        print("Audit trail in PostgreSQL intact: \(report.audit.entryCount) entries, the embedded trail's head extended (last MAC \(head)).")
        if let blob = report.checkedBlob { print("Blob \(blob.id) decrypts to the same \(blob.bytes) bytes from its new place.") }
        let arguments = blobs == nil ? "--data \(from) and the same --database" : "the same --database and --blobs"
        print("Next: start trocd serve with \(arguments) and the same master key; keep \(from) until the cluster has served for a while.")
    }
}
