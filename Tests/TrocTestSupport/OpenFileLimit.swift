import Foundation

/// The process's limit on open file descriptors (`ulimit -n`).
package enum OpenFileLimit {
    /// The soft limit now in force.
    package static var current: UInt64 {
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        return UInt64(limit.rlim_cur)
    }

    /// Raises the soft limit to at least `wanted` descriptors if the hard limit allows; returns the limit in force.
    @discardableResult
    package static func raise(to wanted: UInt64) -> UInt64 {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        if limit.rlim_cur < wanted {
            limit.rlim_cur = min(rlim_t(wanted), limit.rlim_max)
            setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        }
        return current
    }
}
