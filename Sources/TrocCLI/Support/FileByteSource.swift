import Foundation
import TrocCore

/// A contact file on disk, read in large chunks with plain `read(2)`.
final class FileByteSource: ContactByteSource {
    private let descriptor: Int32
    /// The path, for messages.
    let path: String

    /// Opens `path` for reading, or fails with a message naming it.
    init(path: String) throws(TrocExit) {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TrocExit(.badInput, "\(path): no such file")
        }
        guard !isDirectory.boolValue else { throw TrocExit(.badInput, "\(path): is a directory, not a CSV file") }
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw TrocExit(.badInput, "\(path): cannot open (\(String(cString: strerror(errno))))") }
    }

    deinit { close(descriptor) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = Foundation.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw TrocExit(.badInput, "\(path): read failed (\(String(cString: strerror(errno))))") }
        }
    }
}
