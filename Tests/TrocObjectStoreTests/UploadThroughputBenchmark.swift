import Foundation
import NIOCore
import Testing
import TrocObjectStore
import TrocTestSupport

/// The README's figure: a 256 MiB stream uploaded into the local SeaweedFS, its throughput and this
/// process's peak memory. Runs only with TROC_OBJECTSTORE_BENCH=1; it measures, it asserts nothing timed.
@Suite(.seaweedFS, .enabled(if: ProcessInfo.processInfo.environment["TROC_OBJECTSTORE_BENCH"] == "1"))
struct UploadThroughputBenchmark {
    @Test func upload256MiB() async throws {
        let server = try #require(SeaweedFS.current)
        let client = try server.client(partSize: 8 * 1024 * 1024)
        defer { Task { await client.shutdown() } }
        let total = 256 * 1024 * 1024
        let chunk = ByteBuffer(bytes: (0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })
        let source = AsyncStream<ByteBuffer> { continuation in
            for _ in 0..<(total / chunk.readableBytes) { continuation.yield(chunk) }
            continuation.finish()
        }
        let before = Self.peakResidentKiB()
        let started = ContinuousClock.now
        let uploaded = try await client.upload(key: "bench/256mib", from: source)
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(
            "objectstore bench: \(uploaded.size) bytes in \(String(format: "%.2f", seconds)) s = "
                + "\(String(format: "%.0f", Double(uploaded.size) / seconds / 1e6)) MB/s; peak RSS \(before / 1024) MiB before, "
                + "\(Self.peakResidentKiB() / 1024) MiB after")
        #expect(uploaded.size == total)
        try await client.delete(key: "bench/256mib")
    }

    /// VmHWM from /proc/self/status: the most memory this process has held resident.
    static func peakResidentKiB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}
