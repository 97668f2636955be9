import Foundation
import Testing
import TrocTestSupport

/// The independent pyhpke implementation of the envelope (`Tests/Interop/hpke_envelope.py`), run with the python3 on
/// `PATH` through `ExternalTool`.
enum PyHPKE {
    /// Fails the test, saying how to fix it, when python3 or pyhpke is missing: CI installs it, so a skip would hide a gap.
    static func require() throws {
        let probe = try ExternalTool.run("python3", ["-c", "import pyhpke"])
        try #require(probe.status == 0, "the interop tests need python3 with pyhpke: run `pip install pyhpke` (python3 said: \(probe.error))")
    }

    /// Runs the interop script with `arguments`: its exit status and what it printed.
    static func run(_ arguments: [String]) throws -> ExternalTool.Run {
        try ExternalTool.run("python3", [RepositoryPaths.interopScript.path] + arguments)
    }

    /// Runs the interop script and requires it to succeed.
    static func runScript(_ arguments: [String]) throws {
        let outcome = try run(arguments)
        try #require(outcome.status == 0, "hpke_envelope.py \(arguments.joined(separator: " ")) failed: \(outcome.error)")
    }
}
