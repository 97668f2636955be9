import ArgumentParser
import Foundation
import NIOCore
import TrocClient
import TrocCore

/// Writes a fetched file atomically and says where.
enum SavedFile {
    /// Writes `body` to `path` (`-` for standard output) and says where on standard error.
    static func write(_ body: ByteBuffer, to path: String) throws {
        let data = Data(body.readableBytesView)
        if path == "-" {
            FileHandle.standardOutput.write(data)
            return
        }
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw TrocExit(.badInput, "troc: \(path): cannot write (\(error.localizedDescription))")
        }
        StandardStreams.error.write("wrote \(path) (\(data.count) bytes)\n")
    }
}
