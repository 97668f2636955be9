package import Foundation

/// A directory of timestamped backups, as the nightly `trocd-backup.timer` keeps them (`trocd admin backup --into DIR
/// --keep N`): each backup is `troc-backup-<UTC yyyyMMdd'T'HHmmss'Z'>`, so names sort in time order, the newest complete
/// one is the one to restore, and pruning never touches a name of another shape.
package struct BackupRotation: Sendable {
    /// What every backup's name starts with.
    package static let prefix = "troc-backup-"
    /// The lock file that serialises backups into one directory.
    static let lockName = ".lock"

    /// One backup found in the directory.
    package struct Entry: Sendable, Equatable {
        /// `troc-backup-…`.
        package var name: String
        /// Its full path.
        package var path: String
        /// Whether it has its manifest (written last): an entry without one is unfinished.
        package var isComplete: Bool
    }

    /// The directory holding the backups.
    package let directory: String

    package init(directory: String) {
        self.directory = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    }

    /// The name of a backup taken at `date`: `troc-backup-20261123T023000Z`.
    package static func name(at date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return prefix
            + String(
                format: "%04d%02d%02dT%02d%02d%02dZ", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0,
                parts.second ?? 0)
    }

    /// Whether `name` has the shape `name(at:)` gives, and only then may be pruned.
    package static func isBackupName(_ name: String) -> Bool {
        guard name.hasPrefix(prefix) else { return false }
        let stamp = Array(name.utf8.dropFirst(prefix.utf8.count))
        guard stamp.count == 16, stamp[8] == UInt8(ascii: "T"), stamp[15] == UInt8(ascii: "Z") else { return false }
        return (stamp[0..<8] + stamp[9..<15]).allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// The backups in the directory, oldest first.
    package func entries() throws(BackupError) -> [Entry] {
        let names: [String]
        do throws(BlobStoreError) {
            names = try POSIXFile.names(in: directory)
        } catch {
            throw .files(error)
        }
        return names.filter(Self.isBackupName).sorted().map { name in
            let path = directory + "/" + name
            return Entry(name: name, path: path, isComplete: FileManager.default.fileExists(atPath: path + "/" + BackupManifest.fileName))
        }
    }

    /// The newest complete backup, the one a restore takes.
    package func latest() throws(BackupError) -> Entry? {
        try entries().last { $0.isComplete }
    }

    /// Runs `body` holding the directory's lock (created with the directory if missing), so two backups into it (the timer
    /// and an operator, or a package upgrade) never interleave and pruning never removes a backup being written.
    package func withLock<T>(_ body: () throws -> T) throws -> T {
        try Self.files { () throws(BlobStoreError) in try POSIXFile.makeDirectory(directory) }
        let lockPath = directory + "/" + Self.lockName
        let descriptor = try Self.files { () throws(BlobStoreError) in try POSIXFile.open(lockPath, O_RDWR | O_CREAT) }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            if errno == EWOULDBLOCK { throw BackupError.backupInProgress(path: directory) }
            throw BackupError.files(.io(operation: "lock", path: lockPath, code: errno))
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    /// Keeps the `keep` newest complete backups and removes the older ones, and every unfinished one (call it holding the
    /// lock, after a backup succeeded: an unfinished backup then belongs to no running process). Returns the removed names.
    package func prune(keep: Int) throws(BackupError) -> [String] {
        let all = try entries()
        let kept = Set(all.filter(\.isComplete).suffix(max(keep, 1)).map(\.name))
        var removed: [String] = []
        for entry in all where !kept.contains(entry.name) {
            do {
                try FileManager.default.removeItem(atPath: entry.path)
            } catch {
                throw .pruneFailed(path: entry.path, reason: error.localizedDescription)
            }
            removed.append(entry.name)
        }
        return removed
    }

    /// Runs file operations, reporting their failure as a backup error.
    private static func files<T>(_ body: () throws(BlobStoreError) -> T) throws(BackupError) -> T {
        do throws(BlobStoreError) {
            return try body()
        } catch {
            throw .files(error)
        }
    }
}
