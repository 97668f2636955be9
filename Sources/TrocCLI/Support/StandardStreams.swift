import Foundation

/// Where a command writes: standard output and error in production, buffers in tests.
protocol TextSink: Sendable {
    func write(_ text: String)
}

/// Standard output and error.
enum StandardStreams {
    static let output: any TextSink = FileDescriptorSink(descriptor: STDOUT_FILENO)
    static let error: any TextSink = FileDescriptorSink(descriptor: STDERR_FILENO)
}

/// Writes text to a file descriptor, whole.
struct FileDescriptorSink: TextSink {
    let descriptor: Int32

    func write(_ text: String) {
        var data = Array(text.utf8)
        var offset = 0
        while offset < data.count {
            let written = data.withUnsafeMutableBytes { Foundation.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { return }
            offset += written
        }
        data.removeAll()
    }
}
