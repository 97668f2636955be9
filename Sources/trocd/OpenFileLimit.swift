import Foundation

/// The daemon's limit on open file descriptors: every connection, blob and database handle takes one.
enum OpenFileLimit {
    /// Raises the soft limit to the hard one, as Go's runtime and nginx do: the soft default of many systems (1024)
    /// is what lets a few hundred idle connections crowd out real clients. Returns the limit in force.
    @discardableResult
    static func raiseToHardLimit() -> UInt64 {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return 0 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resource, &raised) == 0 { return UInt64(raised.rlim_cur) }
        }
        return UInt64(limit.rlim_cur)
    }

    #if os(Linux)
        private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
        private static let resource = RLIMIT_NOFILE
    #endif
}
