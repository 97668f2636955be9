import Foundation
import Testing
import TrocCore
import TrocTestSupport

/// The web console in Debian's Chromium, driven by Playwright (`Tests/Browser/console_scenarios.py`) against the real
/// `trocd serve --dev`: a whole swap through the console alone, then the refusals, with axe-core on every page. This
/// test checks what the browser brought back against the offline tools: the deliveries it decrypted equal what
/// `troc match --release-dir` writes, and the invoices it downloaded pass `../shared/tools/einvoice_check.py`.
@Suite(.serialized) struct ConsoleBrowserEndToEndTests {
    /// What the script found.
    struct Result: Decodable {
        var deal: String
        var toJoinery: String
        var toHeating: String
        var invoices: [String]
        var zip: String
        var fec: String
        var screenshots: String
        var pagesChecked: [String]
    }

    @Test func aWholeSwapThroughTheConsoleInChromium() throws {
        let directory = try temporaryDirectory("console")
        let daemon = try Daemon(in: directory)
        defer {
            daemon.stop()
            try? FileManager.default.removeItem(at: directory)
        }
        let line = try #require(
            daemon.output.split(separator: "\n").first { $0.contains("enrolment code") },
            "the dev daemon prints the first operator's console enrolment code:\n\(daemon.output)")
        let code = String(try #require(line.split(separator: " ").last))
        let out = directory.appendingPathComponent("browser")
        // Screenshots are kept as a test artefact under .build, the rest goes with the temporary directory.
        let artefacts = Repository.file(".build/console-screenshots")
        try? FileManager.default.removeItem(at: artefacts)
        let fixtures = Repository.file("Fixtures/contacts")
        let script = Repository.file("Tests/Browser/console_scenarios.py")
        let run = try ExternalTool.run(
            "python3", [script.path, "--url", daemon.url, "--code", code, "--fixtures", fixtures.path, "--out", out.path])
        try? FileManager.default.copyItem(at: out.appendingPathComponent("screenshots"), to: artefacts)
        #expect(
            run.status == 0,
            "console_scenarios.py (pip install playwright axe-playwright-python; apt-get install chromium):\n\(run.error)\n\(run.text)")
        guard run.status == 0 else { return }
        let decoder = JSONDecoder()
        let result = try decoder.decode(Result.self, from: Data(contentsOf: out.appendingPathComponent("result.json")))
        #expect(result.pagesChecked.count >= 25, "\(result.pagesChecked)")

        // The deliveries the browser decrypted are, byte for byte, what troc match writes for the same inputs, each row naming
        // its supplier and the deal as the broker does (the firms as the script registered them).
        let offline = directory.appendingPathComponent("offline")
        try FileManager.default.createDirectory(at: offline, withIntermediateDirectories: true)
        let matched = try TrocEndToEndRun.troc(
            [
                "match", fixtures.appendingPathComponent("menuiserie-atlantique.csv").path,
                fixtures.appendingPathComponent("peinture-erdre.csv").path,
                "--naf-a", "43.32A", "--naf-b", "43.22B", "--suppression", fixtures.appendingPathComponent("opposition-2026.txt").path,
                "--policy", "equal-count", "--release-dir", offline.path, "--supplier-a-name", "Menuiseries Durand SARL",
                "--supplier-a-siren", "732829320", "--supplier-b-name", "Géothermie Martin SAS", "--supplier-b-siren", "552100554",
                "--deal-id", result.deal, "--json",
            ], in: directory)
        #expect(matched.status == 0, "\(matched.error)")
        let toJoinery = try Data(contentsOf: URL(fileURLWithPath: result.toJoinery))
        let toHeating = try Data(contentsOf: URL(fileURLWithPath: result.toHeating))
        #expect(!toJoinery.isEmpty && !toHeating.isEmpty)
        #expect(toJoinery == (try Data(contentsOf: offline.appendingPathComponent("to-a.csv"))), "the joinery's delivery differs from troc match's")
        #expect(
            toHeating == (try Data(contentsOf: offline.appendingPathComponent("to-b.csv"))), "the heating firm's delivery differs from troc match's")

        // The e-invoices the accountant downloaded are valid EN 16931 with the French rules.
        let xml = result.invoices.filter { $0.hasSuffix(".xml") }
        #expect(xml.count == 8)
        let (status, verdicts) = try EInvoiceChecker.check(xml)
        #expect(status == 0, "einvoice_check.py:\n\(verdicts)")
        #expect(EInvoiceChecker.passes(verdicts).count == xml.count, "\(verdicts)")
        // The ZIP holds every invoice in every format; the FEC has its header and balanced lines.
        let listing = try ExternalTool.run(
            "python3",
            ["-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(len(z.namelist()))", result.zip])
        #expect(listing.status == 0 && listing.text.trimmingCharacters(in: .whitespacesAndNewlines) == "24", "\(listing.text) \(listing.error)")
        let fec = try String(contentsOfFile: result.fec, encoding: .utf8)
        #expect(fec.hasPrefix("JournalCode\t"))
    }
}

/// Runs the `troc` binary for the console test.
enum TrocEndToEndRun {
    static func troc(_ arguments: [String], in directory: URL) throws -> CommandResult {
        try run(Binaries.troc, arguments, in: directory, environment: ["TROC_CONFIG_DIR": directory.path])
    }
}
