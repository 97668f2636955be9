import ArgumentParser
import Foundation
import TrocCrypto
import TrocServer
import TrocStore

/// `trocd admin audit verify|head`: check the audit trail, and record its head off the machine.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check the audit trail, or print its head to keep elsewhere.", subcommands: [Verify.self, Head.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify", abstract: "Recompute the audit chain; exit 0 if intact, 2 with the first damaged entry otherwise.",
            discussion: """
                With --expect-head FILE (written earlier by `trocd admin audit head` and kept off this machine), the trail must also \
                still extend that head: someone holding the master key could otherwise rewrite the trail, or restore an older copy, \
                and recompute a chain that verifies.
                """)
        @OptionGroup var storage: StorageOptions
        @Option(name: .customLong("expect-head"), help: "A head recorded by `trocd admin audit head` that the trail must extend.")
        var expectHead: String?

        func run() async throws {
            let checkpoint = try expectHead.map(AuditHeadFile.read)
            try await AdminBroker.with(storage) { broker in
                if let checkpoint {
                    let brokerID = try await broker.store.brokerOrganisation()?.id
                    guard checkpoint.brokerOrganisationID == brokerID else {
                        print(
                            "audit trail NOT CHECKED: \(expectHead ?? "") is the head of broker \(checkpoint.brokerOrganisationID), this is \(brokerID ?? "no broker")"
                        )
                        throw ExitCode(2)
                    }
                }
                let verification = try await broker.store.verifyAudit(
                    key: try AuditKey(broker.keys.rootHashingSecret.auditKey()), expecting: checkpoint)
                if let damage = verification.damage {
                    print("audit trail DAMAGED after \(verification.entryCount) entries: \(damage)")
                    throw ExitCode(2)
                }
                let head = (verification.headMAC ?? Data()).map { String(format: "%02x", $0) }.joined()
                if let checkpoint {
                    print(
                        "audit trail intact: \(verification.entryCount) entries, extending the head recorded at "
                            + "\(checkpoint.recordedAt.ISO8601Format()) (\(checkpoint.count) entries)")
                } else {
                    print(
                        "audit trail intact: \(verification.entryCount) entries; head MAC \(head) (keep `trocd admin audit head` elsewhere to "
                            + "detect a rollback or a rewritten trail)")
                }
            }
        }
    }

    struct Head: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "head", abstract: "Verify the trail and print its head (entry count and last MAC) to keep off this machine.",
            discussion: """
                Keep the output where the broker's administrators cannot change it (another machine, a ticket, a signed email), and \
                check later with `trocd admin audit verify --expect-head FILE`. Exits 2 without a head if the trail is damaged.
                """)
        @OptionGroup var storage: StorageOptions
        @Option(name: [.short, .customLong("output")], help: "Write the head to this file instead of the standard output.") var output: String?

        func run() async throws {
            try await AdminBroker.with(storage) { broker in
                let verification = try await broker.store.verifyAudit(key: try AuditKey(broker.keys.rootHashingSecret.auditKey()), expecting: nil)
                if let damage = verification.damage {
                    print("audit trail DAMAGED after \(verification.entryCount) entries, no head printed: \(damage)")
                    throw ExitCode(2)
                }
                guard let brokerID = try await broker.store.brokerOrganisation()?.id, let mac = verification.lastMAC else {
                    print("the audit trail is empty: there is no head to record yet")
                    throw ExitCode(2)
                }
                let checkpoint = AuditCheckpoint(brokerOrganisationID: brokerID, count: Int64(verification.entryCount), mac: mac, recordedAt: Date())
                if let output {
                    try Data(checkpoint.text.utf8).write(to: URL(fileURLWithPath: output), options: .withoutOverwriting)
                    FileHandle.standardError.write(Data("audit head (\(verification.entryCount) entries) written to \(output)\n".utf8))
                } else {
                    print(checkpoint.text, terminator: "")
                }
            }
        }
    }
}

/// Reads a head file written by `trocd admin audit head`, with errors that name the file and line.
enum AuditHeadFile {
    static func read(_ path: String) throws -> AuditCheckpoint {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw AuditHeadFileError(description: "\(path): cannot read the recorded audit head")
        }
        do {
            return try AuditCheckpoint(text: text)
        } catch {
            throw AuditHeadFileError(description: "\(path): \(error)")
        }
    }
}

/// A head file that cannot be used; exits 1 with its message.
struct AuditHeadFileError: Error, CustomStringConvertible {
    let description: String
}
