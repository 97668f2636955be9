import Foundation
import Testing

/// Runs `python3` for the interoperability tests.
enum PythonRunner {
    /// Exit status and standard error of one run.
    struct Outcome {
        /// The process exit status.
        let status: Int32
        /// What the script printed on standard error.
        let standardError: String
    }

    /// Runs `python3` with `arguments`, standard output discarded.
    static func run(_ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let standardError = Pipe()
        process.standardError = standardError
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let errorOutput = standardError.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, standardError: String(decoding: errorOutput, as: UTF8.self))
    }

    /// Fails the test, saying how to fix it, when python3 or pyhpke is missing: CI installs it, so a skip would hide a gap.
    static func requirePyHPKE() throws {
        let probe = try run(["-c", "import pyhpke"])
        try #require(
            probe.status == 0,
            "the interop tests need python3 with pyhpke: run `pip install pyhpke` (python3 said: \(probe.standardError))"
        )
    }

    /// Runs the interop script and requires it to succeed.
    static func runScript(_ arguments: [String]) throws {
        let outcome = try run([RepositoryPaths.interopScript.path] + arguments)
        try #require(outcome.status == 0, "hpke_envelope.py \(arguments.joined(separator: " ")) failed: \(outcome.standardError)")
    }
}
