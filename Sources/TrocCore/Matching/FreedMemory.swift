#if canImport(Glibc)
    import Glibc
#endif

/// Gives the pages of freed memory back to the system. glibc keeps freed blocks of a few hundred
/// kilobytes in its heap; when a whole file's parsed blocks are freed as they are gathered into
/// larger arrays, handing those pages back keeps the file from being held twice in resident memory.
public enum FreedMemory {
    /// Returns freed pages after every `blocks`-th block given up while a file's blocks are gathered: the blocks' pages
    /// then leave as the gathered arrays fill, instead of the file being resident twice until the end of a pass.
    @inline(__always)
    static func returnEvery(blocks: Int, _ index: Int) {
        if index % blocks == blocks - 1 { returnToSystem() }
    }

    /// Hands every free page of every malloc arena back to the system (glibc's `malloc_trim`; nothing elsewhere).
    public static func returnToSystem() {
        #if canImport(Glibc)
            _ = mallocTrim?(0)
        #endif
    }

    /// Serves every allocation of `bytes` or more with its own mapping, unmapped when freed (glibc's `M_MMAP_THRESHOLD`).
    ///
    /// glibc does so from 128 KiB, but raises the threshold to the size of each mapped block freed, up to 32 MiB: after a
    /// daemon's first large file, its index arrays (tens of megabytes) come from the heap, stay there once freed, and a
    /// later file read on other threads (other arenas) adds its own on top. A fixed threshold keeps them mapped. Read
    /// buffers (1 to 2 MiB) stay below it: mapping those afresh costs a fifth of an upload's speed in page faults.
    public static func mapLargeAllocations(from bytes: Int) {
        #if canImport(Glibc)
            let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD in <malloc.h>
            _ = mallopt?(mmapThreshold, Int32(clamping: bytes))
        #endif
    }

    #if canImport(Glibc)
        /// glibc's `mallopt` (declared in <malloc.h>, which the Glibc module does not export).
        private static let mallopt: (@convention(c) (Int32, Int32) -> Int32)? = {
            guard let symbol = dlsym(nil, "mallopt") else { return nil }
            return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        }()

        /// glibc's `malloc_trim` (declared in <malloc.h>, which the Glibc module does not export).
        private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
            guard let symbol = dlsym(nil, "malloc_trim") else { return nil }
            return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        }()
    #endif
}
