import Foundation

/// Thin wrappers over the POSIX calls the blob store and backups use, retrying on EINTR and throwing `BlobStoreError.io`.
enum POSIXFile {
    /// Opens `path`, returning the descriptor.
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o600) throws(BlobStoreError) -> Int32 {
        while true {
            let descriptor = Foundation.open(path, flags | O_CLOEXEC, mode)
            if descriptor >= 0 { return descriptor }
            if errno != EINTR { throw .io(operation: "open", path: path, code: errno) }
        }
    }

    /// Writes all of `bytes`.
    static func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(BlobStoreError) {
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written > 0 {
                offset += written
            } else if written < 0, errno != EINTR {
                throw .io(operation: "write", path: path, code: errno)
            }
        }
    }

    /// Reads up to `buffer.count` bytes; 0 at end of file.
    static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws(BlobStoreError) -> Int {
        while true {
            let count = Foundation.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw .io(operation: "read", path: path, code: errno) }
        }
    }

    /// Flushes a file's data and metadata to the disk.
    static func sync(_ descriptor: Int32, path: String) throws(BlobStoreError) {
        guard fsync(descriptor) == 0 else { throw .io(operation: "fsync", path: path, code: errno) }
    }

    /// Flushes a directory, so that names just created, renamed or removed in it survive a crash.
    static func syncDirectory(_ path: String) throws(BlobStoreError) {
        let descriptor = try open(path, O_RDONLY | O_DIRECTORY)
        defer { close(descriptor) }
        try sync(descriptor, path: path)
    }

    /// Renames atomically within one file system.
    static func rename(_ source: String, to destination: String) throws(BlobStoreError) {
        guard Foundation.rename(source, destination) == 0 else { throw .io(operation: "rename to \(destination)", path: source, code: errno) }
    }

    /// Removes a file; returns false if it did not exist.
    @discardableResult
    static func unlink(_ path: String) throws(BlobStoreError) -> Bool {
        if Foundation.unlink(path) == 0 { return true }
        if errno == ENOENT { return false }
        throw .io(operation: "remove", path: path, code: errno)
    }

    /// Creates `path` as a directory readable by its owner only, with any missing parents; an existing directory is kept.
    static func makeDirectory(_ path: String) throws(BlobStoreError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o700) != 0, errno != EEXIST { throw .io(operation: "create directory", path: prefix, code: errno) }
            prefix += "/"
        }
        var status = stat()
        guard stat(path, &status) == 0 else { throw .io(operation: "create directory", path: path, code: errno) }
        guard status.st_mode & S_IFMT == S_IFDIR else { throw .io(operation: "create directory", path: path, code: ENOTDIR) }
    }

    /// Names of the entries of directory `path`, without `.` and `..`.
    static func names(in path: String) throws(BlobStoreError) -> [String] {
        guard let directory = opendir(path) else { throw .io(operation: "list", path: path, code: errno) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Size in bytes of the file at `path`, or nil if there is none.
    static func size(_ path: String) -> Int64? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Int64(status.st_size)
    }

    /// Copies `source` to a new file `destination` (which must not exist) in large blocks, and flushes it.
    static func copy(_ source: String, to destination: String) throws(BlobStoreError) {
        let input = try open(source, O_RDONLY)
        defer { close(input) }
        let output = try open(destination, O_WRONLY | O_CREAT | O_EXCL)
        defer { close(output) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try read(input, into: buffer, path: source)
            if count == 0 { break }
            try write(output, UnsafeRawBufferPointer(rebasing: buffer[..<count]), path: destination)
        }
        try sync(output, path: destination)
    }
}
