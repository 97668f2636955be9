import ArgumentParser
import Foundation
import TrocStore

/// The data directory `trocd serve` must write to, checked before anything opens it.
enum WritableDataDirectory {
    /// sysexits' `EX_CANTCREAT`: the broker cannot create or write its files there.
    static let exitCode: Int32 = 73

    /// Refuses, with a sentence on standard error and exit code 73, a data directory (or, not created yet, its nearest
    /// existing parent) on a read-only file system or that this user cannot write.
    static func require(_ path: String) throws {
        var existing = URL(fileURLWithPath: path).standardizedFileURL
        while !FileManager.default.fileExists(atPath: existing.path) && existing.path != "/" { existing.deleteLastPathComponent() }
        let layout = DataDirectory(path: existing.path)
        let files = [layout.path, layout.databasePath, layout.blobsPath]
        for file in files where FileManager.default.fileExists(atPath: file) && access(file, W_OK) != 0 {
            let code = errno
            let reason =
                code == EROFS
                ? "is on a read-only file system: the broker writes its database and encrypted files there; remount it read-write "
                    + "(mount -o remount,rw) or pass --data with a writable directory"
                : "cannot be written by this user (\(String(cString: strerror(code)))): run trocd as the data directory's owner"
            FileHandle.standardError.write(Data("Error: \(file) \(reason)\n".utf8))
            throw ExitCode(exitCode)
        }
    }
}
