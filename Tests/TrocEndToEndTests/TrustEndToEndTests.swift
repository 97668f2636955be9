import Foundation
import Testing
import TrocClient
import TrocCore

/// Delivery-key changes, firm administrators, disabled users and the audit head, with the real `trocd` and `troc`.
@Suite(.serialized) struct TrustEndToEndTests {
    typealias World = BrokerEndToEndTests.World

    /// Uploads the standard file as the joinery, whose key is already registered; returns its id and the plaintext.
    static func upload(_ world: World) throws -> (String, Data) {
        let file = world.directory.appendingPathComponent("prospects.csv")
        let plaintext = Data(BrokerEndToEndTests.contacts.utf8)
        try plaintext.write(to: file)
        return (try world.joinery.succeed("upload", file.path, "--json").json(StoredFile.self).id, plaintext)
    }

    @Test func aKeyChangeIsConfirmedOutOfBandAndAUserIsDisabledThroughTheCLI() throws {
        let world = try World.make("trust")
        defer { world.cleanUp() }
        try world.joinery.succeed("keygen")
        let firstKey = try world.joinery.succeed("whoami", "--json").json(Me.self).organisation.publicKeyFingerprint
        let again = try world.joinery.troc("keygen", "--force")
        #expect(again.status == 5 && again.error.contains("troc keys request"), "\(again.status) \(again.error)")

        // The firm asks; the new private key stays on its machine, beside the old one.
        let change = try world.joinery.succeed("keys", "request", "--note", "new laptop", "--json").json(KeyChange.self)
        #expect(change.state == .requested && change.oldFingerprint == firstKey && change.note == "new laptop")
        let keyFile = world.joinery.home.appendingPathComponent("keys/\(world.joineryID).\(KeyFingerprint.normalised(change.newFingerprint)).pem")
        let mode = try FileManager.default.attributesOfItem(atPath: keyFile.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try world.joinery.troc("keys", "request").status == 5)

        // The firm's administrator adds a colleague, who sees the pending change in `troc me`.
        let created = try world.joinery.succeed("users", "create", "--json", "--name", "Paul").json(CreatedUser.self)
        #expect(created.user.organisationId == world.joineryID && !created.user.firmAdmin)
        let paul = try TrocUser("paul", in: world.directory)
        try paul.succeed(
            "login", "--server", world.daemon.url, "--token", created.token.token, "--ca",
            world.directory.appendingPathComponent("troc-dev-cert.pem").path)
        let shown = try paul.succeed("me").output
        #expect(shown.contains("PENDING KEY CHANGE \(change.id)") && shown.contains(change.newFingerprint) && shown.contains("troc keys cancel"))

        // Downloads still open with the key in force, chosen among the firm's key files by the fingerprint the broker names.
        let (fileID, plaintext) = try Self.upload(world)
        let back = world.directory.appendingPathComponent("back.csv")
        try world.joinery.succeed("download", fileID, "-o", back.path)
        #expect(try Data(contentsOf: back) == plaintext)

        // The operator's approval needs the fingerprint the firm reads out; the colleague cancels it anyway.
        let waiting = try world.operatorUser.succeed("keys", "list", "--state", "requested", "--json").json([KeyChange].self)
        #expect(waiting.map(\.id) == [change.id])
        let wrong = try world.operatorUser.troc("keys", "approve", change.id, "--fingerprint", String(repeating: "ab", count: 16))
        #expect(wrong.status == 2 && wrong.error.contains("key-change.fingerprint-mismatch"), "\(wrong.error)")
        let approved = try world.operatorUser.succeed(
            "keys", "approve", change.id, "--fingerprint", change.newFingerprint.uppercased(), "--reason", "read back by phone", "--json"
        ).json(KeyChange.self)
        #expect(approved.state == .approved && approved.effectiveAt != nil)
        let cancelled = try paul.succeed("keys", "cancel", change.id, "--reason", "not ours", "--json").json(KeyChange.self)
        #expect(cancelled.state == .cancelled)
        #expect(try world.heating.troc("keys", "show", change.id).status == 4)

        // An operator adding a user to the firm must say why; the firm sees it.
        let quiet = try world.operatorUser.troc("users", "create", "--name", "Mallory", "--org", world.joineryID)
        #expect(quiet.status == 2 && quiet.error.contains("user.reason-required"), "\(quiet.error)")
        try world.operatorUser.succeed("users", "create", "--name", "Marc", "--org", world.joineryID, "--reason", "ticket 4411")
        #expect(try world.joinery.succeed("me").output.contains("ticket 4411"))

        // Disabling Paul stops his token at once; the operator sees it revoked.
        #expect(try paul.troc("users", "disable", created.user.id).status == 2)
        try world.joinery.succeed("users", "disable", created.user.id, "--reason", "left the firm")
        let refused = try paul.troc("whoami")
        #expect(refused.status == 3 && refused.error.contains("auth.disabled-user"))
        let tokens = try world.operatorUser.succeed("tokens", "list", "--user", created.user.id, "--json").json([TokenInfo].self)
        #expect(!tokens.isEmpty && tokens.allSatisfy { $0.revokedAt != nil })
        #expect(try world.heating.troc("tokens", "list", "--user", created.user.id).status == 4)
    }

    @Test func theAuditHeadKeptElsewhereCatchesARollback() throws {
        let world = try World.make("audit-head")
        defer { world.cleanUp() }
        let directory = world.directory
        func trocd(_ arguments: String...) throws -> CommandResult { try run(Binaries.trocd, ["admin"] + arguments, in: directory) }
        try world.joinery.succeed("keygen")
        let backup = directory.appendingPathComponent("backup")
        #expect(try trocd("backup", backup.path).status == 0)
        try world.joinery.succeed("keys", "request")

        let head = directory.appendingPathComponent("head.txt")
        let written = try trocd("audit", "head", "-o", head.path)
        #expect(written.status == 0, "\(written.error)")
        let text = try String(contentsOf: head, encoding: .utf8)
        #expect(text.hasPrefix("troc-audit-head 1\n") && text.contains("\nmac "))
        #expect(try trocd("audit", "head", "-o", head.path).status != 0, "an existing head file is never overwritten")
        let printed = try trocd("audit", "head")
        #expect(printed.status == 0 && printed.output.hasPrefix("troc-audit-head 1\n"))

        // The trail grows: it still extends the recorded head.
        let change = try world.joinery.succeed("keys", "list", "--json").json([KeyChange].self)[0]
        try world.operatorUser.succeed("keys", "refuse", change.id, "--reason", "not confirmed")
        let extended = try trocd("audit", "verify", "--expect-head", head.path)
        #expect(extended.status == 0 && extended.output.contains("extending the head"), "\(extended.output)\(extended.error)")
        #expect(world.daemon.stop() == 0)

        // An older copy restored verifies on its own, but not against the head kept elsewhere.
        let restored = directory.appendingPathComponent("restored-data")
        #expect(try trocd("restore", backup.path, "--data", restored.path).status == 0)
        #expect(try trocd("audit", "verify", "--data", restored.path).status == 0)
        let rolledBack = try trocd("audit", "verify", "--data", restored.path, "--expect-head", head.path)
        #expect(rolledBack.status == 2 && rolledBack.output.contains("older copy"), "\(rolledBack.output)")

        // A damaged head file is named with its line, and checks nothing.
        let damaged = directory.appendingPathComponent("damaged.txt")
        try Data(text.replacingOccurrences(of: "\nmac ", with: "\nmac zz").utf8).write(to: damaged)
        let unreadable = try trocd("audit", "verify", "--expect-head", damaged.path)
        #expect(unreadable.status == 1 && unreadable.error.contains("line 6"), "\(unreadable.error)")

        // The key-change delay is a setting, in the command's own terms.
        let tooShort = try trocd("settings", "set", "key-change-delay-hours=0", "--reason", "test")
        #expect(tooShort.status == 1 && tooShort.error.contains("key-change-delay-hours=0: must be 1 to 720 hours"), "\(tooShort.error)")
        #expect(try trocd("settings", "set", "key-change-delay-hours=48", "--reason", "holidays").status == 0)
        #expect(try trocd("settings", "show").output.contains("delivery-key changes take effect 48 h after an operator approves them"))
    }
}
