import ArgumentParser
import Foundation
import TrocClient
import TrocCore
import TrocCrypto

/// `troc keys request|list|show|approve|refuse|cancel`: changing a firm's delivery key after its first one.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Change your firm's delivery key (partners ask, operators approve after an out-of-band check).",
        discussion: """
            A firm's first key is registered by `troc keygen`. A new key is a request: an operator telephones the firm (or meets it) \
            to read back the new fingerprint, never through the channel the request came by, and approves it; it takes effect after \
            the broker's delay (24 h by default), during which every user of the firm sees it in `troc me` and can cancel it. \
            Deliveries released before it takes effect stay sealed to the old key.
            """,
        subcommands: [Request.self, List.self, Show.self, Approve.self, Refuse.self, Cancel.self])

    struct Request: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "request", abstract: "Create a new key pair and ask for it to replace your firm's delivery key (partners).")
        @OptionGroup var options: ClientOptions
        @Option(help: "Why you change it (for the operator).") var note: String?
        @Option(help: "Where to write the new private key (default: <config dir>/keys/<organisation>.<fingerprint>.pem).") var out: String?

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let me = try await client.me()
            guard me.user.role == .partner else {
                throw TrocExit(.usage, "troc: key changes are asked by partner firms; you are \(me.user.role.rawValue)")
            }
            guard me.organisation.publicKeyFingerprint != nil else {
                throw TrocExit(.conflict, "troc: \(me.organisation.name) has no delivery key yet: register the first one with `troc keygen`")
            }
            let privateKey = EnvelopePrivateKey.generate()
            let path = out ?? KeyLocation.changedKeyPath(organisationID: me.organisation.id, fingerprint: privateKey.publicKey.fingerprint)
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try PrivateFile.write(Data(privateKey.pemText.utf8), to: URL(fileURLWithPath: path))
            let change: KeyChange
            do {
                change = try await client.requestKeyChange(
                    organisationID: me.organisation.id, NewKeyChange(publicKey: privateKey.publicKey.pemText, note: note))
            } catch {
                // The broker did not take the key: a private key nobody will use must not linger.
                try? FileManager.default.removeItem(atPath: path)
                throw error
            }
            printer.print(change) {
                KeyChangeText.render(change)
                    + "New private key written to \(path) (keep the old one too: deliveries released before the change stay sealed to it).\n"
                    + "When the broker's operator calls, read them the new fingerprint above; never confirm a fingerprint you did not create.\n"
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List key changes: your firm's, or (operators) every firm's.")
        @OptionGroup var options: ClientOptions
        @Option(help: "Only changes in this state: requested, approved, refused, cancelled, effective.") var state: String?
        @Option(help: "Only this organisation's changes.") var org: String?

        func run() async throws {
            _ = try wantedState()
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let changes = try await client.keyChanges(organisationID: org, state: try wantedState())
            let shown = changes.filter { change in state.map { change.state.rawValue == $0 } ?? true }
            printer.print(shown) {
                TextTable.render(
                    ["ID", "ORGANISATION", "STATE", "OLD KEY", "NEW KEY", "REQUESTED", "EFFECTIVE"],
                    shown.map {
                        [
                            $0.id, $0.organisationId, $0.state.rawValue, $0.oldFingerprint, $0.newFingerprint, TextTable.date($0.requestedAt),
                            TextTable.date($0.effectiveAt),
                        ]
                    })
            }
        }

        /// The state `--state` names, nil without it; a usage error for an unknown one.
        func wantedState() throws -> KeyChangeState? {
            guard let state else { return nil }
            guard let wanted = KeyChangeState(rawValue: state) else {
                throw ValidationError("--state must be one of " + KeyChangeState.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return wanted
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one key change and what happens next.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Key change id (kch_…).") var keyChangeID: String

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let change = try await client.keyChange(keyChangeID)
            printer.print(change) { KeyChangeText.render(change) }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "approve", abstract: "Approve a key change once the firm confirmed its fingerprint out of band (operators).",
            discussion: """
                Call the firm on a number you already know (or meet it), not one given in the request, and have them read the new \
                key's fingerprint from their `troc keys request` output. Pass what they read with --fingerprint: the broker refuses \
                the approval unless it matches. The change takes effect after the broker's delay; the firm can cancel it until then.
                """)
        @OptionGroup var options: ClientOptions
        @Argument(help: "Key change id (kch_…).") var keyChangeID: String
        @Option(help: "The new key's fingerprint, as the firm read it to you out of band.") var fingerprint: String
        @Option(help: "Note for the audit trail (how you confirmed it).") var reason: String?

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let change: KeyChange = try await client.approveKeyChange(
                keyChangeID, KeyChangeApproval(confirmedFingerprint: fingerprint, reason: reason))
            printer.print(change) { KeyChangeText.render(change) }
        }
    }

    struct Refuse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "refuse", abstract: "Refuse a key change (operators).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Key change id (kch_…).") var keyChangeID: String
        @Option(help: "Why (shown to the firm, audited).") var reason: String

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let change: KeyChange = try await client.refuseKeyChange(keyChangeID, KeyChangeDecision(reason: reason))
            printer.print(change) { KeyChangeText.render(change) }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel", abstract: "Cancel a key change before it takes effect (any user of the firm, or an operator).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "Key change id (kch_…).") var keyChangeID: String
        @Option(help: "Why (audited).") var reason: String?

        func run() async throws {
            try await options.run { try await run($0, $1) }
        }

        /// Runs the command with `client`, writing its result to `printer`.
        func run(_ client: TrocAPIClient, _ printer: CommandOutput) async throws {
            let change: KeyChange = try await client.cancelKeyChange(keyChangeID, KeyChangeDecision(reason: reason))
            printer.print(change) { KeyChangeText.render(change) }
        }
    }
}

/// Key changes for people.
enum KeyChangeText {
    static func render(_ change: KeyChange) -> String {
        var lines = [
            "\(change.id): \(change.state.rawValue) (organisation \(change.organisationId))",
            "  current key  \(change.oldFingerprint)",
            "  new key      \(change.newFingerprint)",
            "  requested by \(change.requestedBy) at \(TextTable.date(change.requestedAt))" + (change.note.map { ": \($0)" } ?? ""),
        ]
        if let decidedBy = change.decidedBy {
            lines.append("  decided by \(decidedBy) at \(TextTable.date(change.decidedAt))" + (change.decisionReason.map { ": \($0)" } ?? ""))
        }
        if let effectiveAt = change.effectiveAt { lines.append("  takes effect \(TextTable.date(effectiveAt))") }
        if let cancelledBy = change.cancelledBy {
            lines.append(
                "  cancelled by \(cancelledBy) at \(TextTable.date(change.cancelledAt))" + (change.cancellationReason.map { ": \($0)" } ?? ""))
        }
        lines.append("Next: \(change.nextStep)")
        return lines.joined(separator: "\n") + "\n"
    }
}
