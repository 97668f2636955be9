#if canImport(Glibc)
    import Glibc
#endif

/// Gives the pages of freed memory back to the system. glibc keeps freed blocks of a few hundred
/// kilobytes in its heap; when a whole file's parsed blocks are freed as they are gathered into
/// larger arrays, handing those pages back keeps the file from being held twice in resident memory.
enum FreedMemory {
    /// Returns freed pages after every `blocks`-th block given up while a file's blocks are gathered: the blocks' pages
    /// then leave as the gathered arrays fill, instead of the file being resident twice until the end of a pass.
    @inline(__always)
    static func returnEvery(blocks: Int, _ index: Int) {
        if index % blocks == blocks - 1 { returnToSystem() }
    }

    static func returnToSystem() {
        #if canImport(Glibc)
            _ = mallocTrim?(0)
        #endif
    }

    #if canImport(Glibc)
        /// glibc's `malloc_trim` (declared in <malloc.h>, which the Glibc module does not export).
        private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
            guard let symbol = dlsym(nil, "malloc_trim") else { return nil }
            return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        }()
    #endif
}
