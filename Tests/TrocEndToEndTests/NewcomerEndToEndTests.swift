import Foundation
import Testing

/// The newcomer's second step: what `trocd serve --dev` prints to run next works when pasted as printed, from the
/// directory `trocd` was started in, with nothing added to `PATH`.
@Suite struct NewcomerEndToEndTests {
    @Test func thePrintedLoginCommandWorksAsPrinted() throws {
        let directory = try temporaryDirectory("newcomer")
        defer { try? FileManager.default.removeItem(at: directory) }
        // A shell as a fresh clone's user has it: no directory on PATH holds a `troc`.
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .filter { !FileManager.default.isExecutableFile(atPath: "\($0)/troc") }.joined(separator: ":")
        let home = directory.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let environment = ["PATH": path, "TROC_CONFIG_DIR": home.path]
        let daemon = try Daemon(in: directory, environment: environment)
        defer { daemon.stop() }

        let lines = daemon.output.split(separator: "\n").map(String.init)
        let next = try #require(lines.firstIndex { $0.hasPrefix("Next") }, "no next step in:\n\(daemon.output)")
        let login = try #require(lines.dropFirst(next + 1).first, "no command after \(lines[next])").trimmingCharacters(in: .whitespaces)
        #expect(login.contains(" login --server \(daemon.url) --token troc_"), "\(login)")
        let pasted = try run(URL(fileURLWithPath: "/bin/sh"), ["-c", login], in: directory, environment: environment)
        #expect(pasted.status == 0, "`\(login)` as printed: \(pasted.error)\(pasted.output)")
        let whoami = try run(
            URL(fileURLWithPath: "/bin/sh"), ["-c", login.replacingOccurrences(of: #" login .*"#, with: " whoami", options: .regularExpression)],
            in: directory, environment: environment)
        #expect(whoami.status == 0 && whoami.output.contains("Dev Operator"), "\(whoami.error)\(whoami.output)")
    }
}
