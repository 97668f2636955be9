import Foundation

/// A file on this machine that a command sends.
enum LocalFile {
    /// The size of the file at `path`, in bytes; a bad-input failure naming it when it does not exist.
    static func size(_ path: String) throws(TrocExit) -> Int64 {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path), let size = (attributes[.size] as? NSNumber)?.int64Value else {
            throw TrocExit(.badInput, "troc: \(path): no such file")
        }
        return size
    }
}
