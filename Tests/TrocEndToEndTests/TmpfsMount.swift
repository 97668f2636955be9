import Foundation

/// A size-limited tmpfs that a test mounts (as root) for a broker's data directory to fill up or turn read-only, and
/// unmounts on every exit path.
final class TmpfsMount {
    static let mountTool = URL(fileURLWithPath: "/usr/bin/mount")
    static let unmountTool = URL(fileURLWithPath: "/usr/bin/umount")

    /// Whether this process may mount: root, with the mount tools installed.
    static var available: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: mountTool.path)
            && FileManager.default.isExecutableFile(atPath: unmountTool.path)
    }

    let directory: URL
    /// Mounts stacked on `directory`, the tmpfs first: each `unmount` removes them all.
    private var layers = 0

    /// Mounts a tmpfs of `megabytes` on `directory`, created if missing.
    init(at directory: URL, megabytes: Int) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Self.mount(["-t", "tmpfs", "-o", "size=\(megabytes)m,mode=0700", "tmpfs", directory.path])
        layers = 1
    }

    /// Changes the tmpfs's size (`size=64m`) or makes it read-only or writable again (`ro`, `rw`).
    func remount(_ options: String) throws {
        try Self.mount(["-o", "remount,\(options)", directory.path])
    }

    /// Lays a read-only view of the directory over it, as a running process meets a data directory turned read-only:
    /// Linux refuses `remount,ro` while files are open for writing on it, as the broker's database is.
    func coverReadOnly() throws {
        try Self.mount(["--bind", directory.path, directory.path])
        layers += 1
        try Self.mount(["-o", "remount,bind,ro", directory.path])
    }

    /// Removes the read-only view `coverReadOnly()` laid.
    func uncover() throws {
        let result = try run(Self.unmountTool, [directory.path], in: URL(fileURLWithPath: "/"))
        guard result.status == 0 else { throw MountError(command: "umount \(directory.path)", output: result.error) }
        layers -= 1
    }

    /// Unmounts every layer, lazily, so that a daemon still running cannot keep the tmpfs mounted.
    func unmount() {
        while layers > 0 {
            _ = try? run(Self.unmountTool, ["-l", directory.path], in: URL(fileURLWithPath: "/"))
            layers -= 1
        }
    }

    deinit { unmount() }

    private static func mount(_ arguments: [String]) throws {
        let result = try run(mountTool, arguments, in: URL(fileURLWithPath: "/"))
        guard result.status == 0 else { throw MountError(command: "mount \(arguments.joined(separator: " "))", output: result.error) }
    }

    /// `mount` or `umount` failed.
    struct MountError: Error, CustomStringConvertible {
        var command: String
        var output: String
        var description: String { "\(command): \(output)" }
    }
}
