import Foundation

/// How to run `troc` from where `trocd` was started, so that the next step `trocd serve` prints works when pasted as
/// printed: a newcomer who ran `swift run trocd …` in a fresh clone has no `troc` anywhere yet.
enum ClientCommand {
    /// `troc` when it is on `PATH` (an installed package, or `.build/debug` exported); else the `troc` built beside this
    /// `trocd`, relative to the working directory when below it (`.build/debug/troc`); else, in a package checkout where
    /// only `trocd` was built, `swift run troc`, which builds it first; else `troc`.
    static func name(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: URL? = Bundle.main.executableURL,
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) -> String {
        let files = FileManager.default
        let path = environment["PATH"] ?? ""
        if path.split(separator: ":").contains(where: { files.isExecutableFile(atPath: "\($0)/troc") }) { return "troc" }
        if let beside = executable?.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("troc").path,
            files.isExecutableFile(atPath: beside)
        {
            let directory = URL(fileURLWithPath: workingDirectory).resolvingSymlinksInPath().path + "/"
            return beside.hasPrefix(directory) ? String(beside.dropFirst(directory.count)) : beside
        }
        if files.fileExists(atPath: URL(fileURLWithPath: workingDirectory).appendingPathComponent("Package.swift").path) {
            return "swift run troc"
        }
        return "troc"
    }
}
