import Foundation
import Testing
import TrocCore
import TrocTestSupport

/// Runs the project's e-invoice checker (XSD, EN 16931 and French BR-FR rules) on every UBL and CII variant.
@Suite struct EInvoiceValidatorTests {
    @Test func everyVariantPassesTheOfficialRules() throws {
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
        let (status, output) = try EInvoiceChecker.check(files)
        let lines = output.split(separator: "\n").map(String.init)
        #expect(status == 0, "einvoice_check.py failed:\n\(output)")
        #expect(lines.count == files.count, "expected one verdict per file:\n\(output)")
        for line in lines { #expect(line.hasPrefix("PASS "), "\(line)") }
    }
}
