import Foundation
import Synchronization
import Testing

/// The `trocd` and `troc` executables `swift build` made, beside the test bundle.
enum Binaries {
    static let directory: URL = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            repositoryRoot.appendingPathComponent(".build/debug"),
        ]
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent("trocd").path) {
            return candidate
        }
        fatalError("trocd not found next to \(CommandLine.arguments[0]) nor in .build/debug: run `swift build` before `swift test --skip-build`")
    }()

    static var trocd: URL { directory.appendingPathComponent("trocd") }
    static var troc: URL { directory.appendingPathComponent("troc") }

    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("no Package.swift above \(#filePath)")
    }()
}

/// What a finished command printed and returned.
struct CommandResult {
    var status: Int32
    var output: String
    var error: String

    /// The standard output parsed as JSON.
    func json<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(T.self, from: Data(output.utf8))
        } catch {
            Issue.record("not JSON (\(error)): \(output)\nstderr: \(self.error)")
            throw error
        }
    }
}

/// Runs a command to completion (tests' commands are short).
@discardableResult
func run(_ executable: URL, _ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> CommandResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    // Read both pipes to the end before waiting, so a chatty command cannot block on a full pipe.
    let errorData = Mutex(Data())
    let errorReader = Thread {
        let data = error.fileHandleForReading.readDataToEndOfFile()
        errorData.withLock { $0 = data }
    }
    errorReader.start()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while errorReader.isExecuting || !errorReader.isFinished { usleep(1000) }
    return CommandResult(
        status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
        error: String(decoding: errorData.withLock { $0 }, as: UTF8.self))
}

/// A running `trocd serve`, started in its own directory, stopped with SIGTERM.
final class Daemon: @unchecked Sendable {
    let process = Process()
    let directory: URL
    private let log = LogBuffer()
    private(set) var url = ""
    private(set) var operatorToken: String?

    /// Starts `trocd serve <arguments>` in `directory` and waits until it listens; with `softFileLimit`, under that soft
    /// limit on open files (`ulimit -Sn`).
    init(in directory: URL, arguments: [String] = ["--dev", "--port", "0"], environment: [String: String] = [:], softFileLimit: Int? = nil) throws {
        self.directory = directory
        if let softFileLimit {
            // exec keeps the shell's process id for trocd, so stop() signals the daemon itself.
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -Sn \(softFileLimit) && exec \"$0\" \"$@\"", Binaries.trocd.path, "serve"] + arguments
        } else {
            process.executableURL = Binaries.trocd
            process.arguments = ["serve"] + arguments
        }
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let log = self.log
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if !data.isEmpty { log.text.withLock { $0 += String(decoding: data, as: UTF8.self) } }
        }
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let text = log.text.withLock { $0 }
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Troc broker listening on ") }) {
                url = String(line.dropFirst("Troc broker listening on ".count))
                operatorToken = text.split(separator: "\n").first { $0.hasPrefix("First operator token") }.map {
                    String($0.split(separator: " ").last!)
                }
                return
            }
            if !process.isRunning { break }
            usleep(50_000)
        }
        process.terminate()
        throw DaemonError.didNotStart(log.text.withLock { $0 })
    }

    /// Everything the daemon printed so far.
    var output: String { log.text.withLock { $0 } }

    /// Sends SIGTERM and waits; returns the exit status (0 after a graceful shutdown).
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }

    enum DaemonError: Error {
        case didNotStart(String)
    }
}

/// Output shared with the pipe's reading handler.
final class LogBuffer: Sendable {
    let text = Mutex("")
}

/// One user of the `troc` CLI, with its own configuration directory (profiles, keys).
struct TrocUser {
    let name: String
    let home: URL

    init(_ name: String, in directory: URL) throws {
        self.name = name
        home = directory.appendingPathComponent("users/\(name)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    /// Runs `troc <arguments>` as this user.
    @discardableResult
    func troc(_ arguments: String..., in directory: URL? = nil) throws -> CommandResult {
        try run(Binaries.troc, arguments, in: directory ?? home, environment: ["TROC_CONFIG_DIR": home.path])
    }

    /// Runs `troc` and requires success.
    @discardableResult
    func succeed(_ arguments: String...) throws -> CommandResult {
        let result = try run(Binaries.troc, arguments, in: home, environment: ["TROC_CONFIG_DIR": home.path])
        #expect(result.status == 0, "troc \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.error)\(result.output)")
        return result
    }
}

/// A fresh temporary directory for one test.
func temporaryDirectory(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("troc-e2e-\(label)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
