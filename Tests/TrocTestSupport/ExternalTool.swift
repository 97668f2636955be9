package import Foundation

/// Runs the independent command-line tools the tests rely on (poppler's `pdffonts`, `pdftotext`, `pdftoppm`,
/// `pdfinfo`; `qpdf`; `python3` with `pyhpke`, `factur-x`, `saxonche`, `pypdf`; `node`), found on `PATH`: the one
/// process runner of the tests besides the end-to-end harness's, which runs the product's own binaries.
package enum ExternalTool {
    /// What a run produced.
    package struct Run: Sendable {
        /// Exit status.
        package let status: Int32
        /// Standard output, as bytes.
        package let output: Data
        /// Standard error, as text.
        package let error: String

        /// Standard output as UTF-8 text.
        package var text: String { String(decoding: output, as: UTF8.self) }
    }

    /// A tool that is not installed, with the package that brings it.
    package struct Missing: Error, CustomStringConvertible {
        package let description: String
    }

    /// The Debian package of each tool, for the message when one is missing.
    static let packages = [
        "pdffonts": "poppler-utils", "pdftotext": "poppler-utils", "pdftoppm": "poppler-utils", "pdfinfo": "poppler-utils", "qpdf": "qpdf",
        "python3": "python3", "node": "nodejs",
    ]

    /// `tool arguments…` with `input` on its standard input; throws `Missing` when the tool is not installed.
    package static func run(_ tool: String, _ arguments: [String], input: Data? = nil) throws -> Run {
        guard installed(tool) else {
            throw Missing(description: "\(tool) is needed by this test: apt-get install -y \(packages[tool] ?? tool)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        // Standard error goes to a file, so that a chatty tool cannot block on a full pipe while output is read.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("troc-tool-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let output = Pipe()
        let standardInput = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorFile)
        process.standardInput = input == nil ? FileHandle.nullDevice : standardInput
        try process.run()
        if let input {
            // Small inputs only (a few hundred kB): the tools read all of their input before writing.
            standardInput.fileHandleForWriting.write(input)
            try standardInput.fileHandleForWriting.close()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorText = String(decoding: FileManager.default.contents(atPath: errorFile.path) ?? Data(), as: UTF8.self)
        return Run(status: process.terminationStatus, output: outputData, error: errorText)
    }

    /// Whether `tool` is on `PATH`.
    package static func installed(_ tool: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
    }
}
