import Foundation

/// Progress on long transfers, on standard error when it is a terminal: bytes, percentage, throughput.
final class TransferProgress: @unchecked Sendable {
    private let label: String
    private let total: Int64?
    private let start = Date()
    private let lock = NSLock()
    private var lastPrint = Date.distantPast
    private let interactive = isatty(STDERR_FILENO) != 0

    init(label: String, total: Int64?) {
        self.label = label
        self.total = total
    }

    /// Reports `done` bytes so far (throttled to five updates a second).
    func update(_ done: Int64) {
        lock.lock()
        defer { lock.unlock() }
        guard interactive, Date().timeIntervalSince(lastPrint) >= 0.2 else { return }
        lastPrint = Date()
        StandardStreams.error.write("\r\(line(done))\u{1B}[K")
    }

    /// The closing line, always printed: total and average throughput.
    func finish(_ done: Int64) {
        if interactive { StandardStreams.error.write("\r\u{1B}[K") }
        StandardStreams.error.write(line(done) + "\n")
    }

    private func line(_ done: Int64) -> String {
        let seconds = max(Date().timeIntervalSince(start), 0.001)
        let rate = Double(done) / seconds / 1_000_000
        let percent = total.map { $0 > 0 ? String(format: " (%.0f%%)", Double(done) * 100 / Double($0)) : "" } ?? ""
        return String(format: "%@ %.1f MB%@ at %.1f MB/s", label, Double(done) / 1_000_000, percent, rate)
    }
}
