import Foundation

/// What happens to the files of some directories, seen through Linux inotify: creations, opens, reads and
/// attribute changes (chmod), by this process or any other.
///
/// The kernel queues an event as the system call happens, so once an operation has returned, `drain()` holds all
/// of its events: tests use it to show that something was not done (a file never chmod-ed after creation, a blob
/// never opened), with no timing involved.
package final class FileEvents {
    /// One event on an entry of a watched directory.
    package struct Event: Sendable, Hashable, CustomStringConvertible {
        /// The entry's name in its directory.
        package var name: String
        /// The inotify mask (IN_CREATE, IN_ATTRIB…).
        package var mask: UInt32

        /// Whether the entry is a directory.
        package var isDirectory: Bool { mask & 0x4000_0000 != 0 }
        /// A file was created (or a hard link made) in the directory.
        package var isCreation: Bool { mask & 0x0000_0100 != 0 }
        /// The entry's attributes changed: mode, owner, link count, timestamps set explicitly.
        package var isAttributeChange: Bool { mask & 0x0000_0004 != 0 }
        /// The file was opened.
        package var isOpen: Bool { mask & 0x0000_0020 != 0 }
        /// The file was read.
        package var isRead: Bool { mask & 0x0000_0001 != 0 }
        /// The file was written.
        package var isWrite: Bool { mask & 0x0000_0002 != 0 }

        package var description: String {
            let kinds = [
                (isCreation, "create"), (isAttributeChange, "attrib"), (isOpen, "open"), (isRead, "read"), (isWrite, "write"),
            ].filter(\.0).map(\.1)
            return "\(name)\(isDirectory ? "/" : ""): \(kinds.joined(separator: ","))"
        }
    }

    private let descriptor: Int32

    /// Starts watching `directories` (not their subdirectories) for creations, opens, reads, writes and attribute changes.
    package init(watching directories: [String]) throws {
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let mask: UInt32 = 0x0000_0100 | 0x0000_0004 | 0x0000_0020 | 0x0000_0001 | 0x0000_0002
        for directory in directories where inotify_add_watch(descriptor, directory, mask) < 0 {
            let code = errno
            close(descriptor)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
    }

    deinit { close(descriptor) }

    /// Every event queued since the last call.
    package func drain() -> [Event] {
        var events: [Event] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            guard count > 0 else { break }
            // struct inotify_event: int wd; uint32_t mask, cookie, len; char name[len] (NUL-padded).
            var offset = 0
            while offset + 16 <= count {
                let mask = buffer.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                let length = Int(buffer.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                let nameBytes = UnsafeRawBufferPointer(rebasing: buffer[(offset + 16)..<(offset + 16 + length)])
                events.append(Event(name: String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self), mask: mask))
                offset += 16 + length
            }
        }
        return events
    }
}

/// Permission bits of the file at `path` (`0o600`), or nil if there is none.
package func permissionBits(_ path: String) -> Int? {
    var status = stat()
    guard stat(path, &status) == 0 else { return nil }
    return Int(status.st_mode & 0o777)
}
