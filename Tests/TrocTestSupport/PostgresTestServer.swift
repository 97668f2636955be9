import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A throwaway PostgreSQL server for the tests: `initdb` in a temporary directory, `postgres` listening on a Unix socket
/// there only (no TCP port to collide with another run), stopped and removed at the end.
///
/// PostgreSQL refuses to run as root, so under root (as CI runs) the server runs as the `postgres` system user, or
/// `nobody`, with the directory handed to it. A machine without the server binaries fails the tests with how to install them.
public final class PostgresTestServer: Sendable {
    /// The server every test of the running suite uses, set by `PostgresServerTrait`.
    @TaskLocal public static var current: PostgresTestServer?

    /// The temporary directory: the cluster in `data`, the socket beside it.
    public let directory: String
    /// The superuser the tests connect as (trust authentication over the socket).
    public let user = "troc"
    /// The port that names the socket file.
    public let port = 5432
    /// The postmaster's process id, read from `postmaster.pid`.
    public let pid: Int32

    /// The socket's path.
    public var socketPath: String { "\(directory)/.s.PGSQL.\(port)" }

    /// Initialises a cluster and starts its server, returning once it accepts connections.
    public static func start() async throws -> PostgresTestServer {
        let binaries = try binaryDirectory()
        let template = "/tmp/troc-pg-XXXXXX"
        var path = Array(template.utf8CString)
        guard mkdtemp(&path) != nil else { throw Failure("cannot create a temporary directory: \(String(cString: strerror(errno)))") }
        let directory = String(decoding: path.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let runAs = try unprivilegedUser()
        if let runAs { try run("/bin/chown", [runAs, directory]) }
        try run(
            "\(binaries)/initdb", ["-D", "\(directory)/data", "-U", "troc", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"],
            as: runAs)
        let log = "\(directory)/server.log"
        let postgres = Process()
        let arguments = [
            "\(binaries)/postgres", "-D", "\(directory)/data", "-k", directory, "-p", "5432", "-c", "listen_addresses=", "-c", "fsync=off",
            // Room for every suite running at once: each pooled store takes up to `PostgresTests.poolSize` connections.
            "-c", "max_connections=200",
        ]
        if let runAs {
            postgres.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            postgres.arguments = ["-u", runAs, "--"] + arguments
        } else {
            postgres.executableURL = URL(fileURLWithPath: arguments[0])
            postgres.arguments = Array(arguments.dropFirst())
        }
        guard FileManager.default.createFile(atPath: log, contents: nil) else { throw Failure("cannot create \(log)") }
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        postgres.standardOutput = logHandle
        postgres.standardError = logHandle
        try postgres.run()
        // Ready once postmaster.pid says so (its last line is the status) and a connection goes through.
        for _ in 0..<600 {
            if !postgres.isRunning {
                let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                throw Failure("postgres exited with status \(postgres.terminationStatus):\n\(output)")
            }
            if let status = try? String(contentsOfFile: "\(directory)/data/postmaster.pid", encoding: .utf8),
                status.split(separator: "\n").last?.trimmingCharacters(in: .whitespaces) == "ready",
                let pid = Int32(status.split(separator: "\n").first ?? "")
            {
                return PostgresTestServer(directory: directory, pid: pid)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        postgres.terminate()
        throw Failure("postgres did not become ready within 30 s; its log is \(log)")
    }

    /// A server already running in `directory` as process `pid`.
    private init(directory: String, pid: Int32) {
        self.directory = directory
        self.pid = pid
    }

    /// Stops the server (fast shutdown: open transactions roll back) and removes its directory.
    public func stop() async {
        kill(pid, SIGINT)
        for _ in 0..<600 where kill(pid, 0) == 0 { try? await Task.sleep(for: .milliseconds(50)) }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The directory of `initdb` and `postgres`: `TROC_POSTGRES_BIN`, else Debian's newest `/usr/lib/postgresql/*/bin`, else `PATH`.
    private static func binaryDirectory() throws -> String {
        if let configured = ProcessInfo.processInfo.environment["TROC_POSTGRES_BIN"] {
            guard FileManager.default.isExecutableFile(atPath: "\(configured)/initdb") else {
                throw Failure(
                    "TROC_POSTGRES_BIN is \(configured), which has no initdb: point it at PostgreSQL's bin directory (`pg_config --bindir`)")
            }
            return configured
        }
        let debian = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: debian)) ?? []).compactMap(Int.init).sorted()
        for version in versions.reversed() where FileManager.default.isExecutableFile(atPath: "\(debian)/\(version)/bin/initdb") {
            return "\(debian)/\(version)/bin"
        }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        where FileManager.default.isExecutableFile(atPath: "\(directory)/initdb") {
            return String(directory)
        }
        throw Failure(
            "the PostgreSQL server is not installed (no initdb in /usr/lib/postgresql/*/bin or on PATH): the TrocPostgres tests need it; "
                + "install Debian's package with `apt-get install postgresql` (.ci/run does), or set TROC_POSTGRES_BIN to its bin directory")
    }

    /// Under root, the account the server runs as (`postgres` if it exists, else `nobody`); nil otherwise.
    private static func unprivilegedUser() throws -> String? {
        guard getuid() == 0 else { return nil }
        return getpwnam("postgres") != nil ? "postgres" : "nobody"
    }

    /// Runs `executable` to completion, as `user` when given, and fails with its output if it fails.
    private static func run(_ executable: String, _ arguments: [String], as user: String? = nil) throws {
        let process = Process()
        if let user {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", user, "--", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure("\(executable) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus):\n\(text)")
        }
    }

    /// Why the server could not be started.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong and what to do.
        public var description: String

        /// A failure saying `description`.
        public init(_ description: String) { self.description = description }
    }
}

extension PostgresTestServer {
    /// The `--database` URL of `database` on this server, over its socket.
    public func url(database: String) -> String {
        "postgres://\(user)@/\(database)?host=\(directory)"
    }
}
