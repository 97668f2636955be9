import Synchronization

/// Where a contact file's bytes come from: a file on disk, a decrypting stream. The ingest calls it
/// from one thread at a time.
public protocol ContactByteSource: AnyObject {
    /// Fills `buffer` with the next bytes; returns how many, 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Why one of the files being read failed as a whole.
public struct ContactFileFailure: Error, Sendable, CustomStringConvertible {
    /// Which of the sources (0-based).
    public var fileIndex: Int
    /// What is wrong with the file, if it is the file's content.
    public var error: ContactFileError?
    /// What the source reported (I/O, decryption), if it is the source.
    public var sourceError: String?

    public var description: String { error?.description ?? sourceError ?? "unknown error" }
}

/// Reads contact files into `ContactSet`s using every core: one thread at a time reads and splits
/// (cheap), all threads parse and hash blocks (the bulk of the work). Memory stays bounded by the
/// blocks in flight plus the compact rows, whatever the size of the files.
public enum ContactFileIngest {
    /// Reads every source; fails with the first file-level error.
    public static func read(
        _ sources: [any ContactByteSource], mappings: [[ColumnMapping]], rules: ExchangeRules, hasher: any MatchKeyHasher,
        parallelism: Int, limits: ReaderLimits = ReaderLimits(), suppression: SuppressionCheck? = nil
    ) throws(ContactFileFailure) -> [ContactSet] {
        var outcome = readBlocks(
            sources, mappings: mappings, rules: rules, hasher: hasher, parallelism: parallelism, limits: limits, suppression: suppression)
        if let failure = outcome.failure { throw failure }
        for (index, blocks) in outcome.parsed.enumerated() where blocks.reduce(0, { $0 + $1.records }) + outcome.rejections[index].count == 0 {
            throw ContactFileFailure(fileIndex: index, error: .headerOnly(columns: outcome.layouts[index]?.headers.count ?? 0))
        }
        let parsed = Mutex(outcome.parsed)
        outcome.parsed = []
        let (rejections, layouts) = (outcome.rejections, outcome.layouts)
        return Parallel.map(sources.count) { index in
            let blocks = parsed.withLock { files in
                defer { files[index] = [] }
                return files[index]
            }
            return ContactSet(layout: layouts[index]!, blocks: consume blocks, readerRejections: rejections[index])
        }
    }
}

extension ContactFileIngest {
    /// Reads and parses every source into blocks. The readers, their recycled buffers and the read buffer end with this
    /// function, before the blocks are gathered: they are the megabytes of a read in flight, not to be held beside the
    /// file's index.
    private static func readBlocks(
        _ sources: [any ContactByteSource], mappings: [[ColumnMapping]], rules: ExchangeRules, hasher: any MatchKeyHasher,
        parallelism: Int, limits: ReaderLimits, suppression: SuppressionCheck?
    ) -> (failure: ContactFileFailure?, parsed: [[ParsedBlock]], rejections: [[RowRejection]], layouts: [ContactFileLayout?]) {
        let shared = Mutex(
            IngestState(
                sources: sources.map(UncheckedSource.init),
                readers: sources.indices.map { ContactFileReader(mappings: mappings[safe: $0] ?? [], limits: limits) },
                readSize: min(limits.blockBytes, 1 << 20)))
        let workers = max(1, parallelism)
        _ = Parallel.map(workers) { _ in
            // One scratch block per worker: its arrays grow to a block's size once, and each parsed
            // block is copied out at its exact size, so waiting blocks hold no spare room.
            var scratch = ParsedBlock(sequence: 0)
            while let (file, block, layout) = shared.withLock({ $0.nextBlock() }) {
                // A parser per block: its scratch costs one allocation per 2 MiB of input.
                var parser = ContactBlockParser(layout: layout, rules: rules, hasher: hasher, limits: limits, suppression: suppression)
                let parsed = parser.parse(block, scratch: &scratch)
                shared.withLock { state in
                    state.parsed[file].append(parsed)
                    state.readers[file].recycle(block.bytes)
                }
            }
        }
        // The parsed blocks move out of the shared state: each file's assembly then holds the only
        // reference to its blocks and frees them as it gathers them.
        return shared.withLock { state in
            (failure: state.failure, parsed: state.takeParsed(), rejections: state.readerRejections, layouts: state.readers.map(\.layout))
        }
    }
}

/// Lets the sources cross into the mutex: only the thread holding the lock touches them.
private struct UncheckedSource: @unchecked Sendable {
    let source: any ContactByteSource
}

/// What the workers share, under one lock.
private struct IngestState: ~Copyable {
    var sources: [UncheckedSource]
    var readers: [ContactFileReader]
    var finished: [Bool]
    var queue: [(Int, RecordBlock)] = []
    var parsed: [[ParsedBlock]]
    var readerRejections: [[RowRejection]]
    var failure: ContactFileFailure?
    var nextSource = 0
    let buffer: UnsafeMutableRawBufferPointer

    init(sources: [UncheckedSource], readers: [ContactFileReader], readSize: Int) {
        self.sources = sources
        self.readers = readers
        finished = Array(repeating: false, count: sources.count)
        parsed = Array(repeating: [], count: sources.count)
        readerRejections = Array(repeating: [], count: sources.count)
        buffer = .allocate(byteCount: readSize, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// The parsed blocks, leaving none here.
    mutating func takeParsed() -> [[ParsedBlock]] {
        defer { parsed = [] }
        return parsed
    }

    /// The next block to parse, reading more from the sources (in turn) when none is queued.
    mutating func nextBlock() -> (Int, RecordBlock, ContactFileLayout)? {
        while failure == nil {
            if !queue.isEmpty {
                let (file, block) = queue.removeFirst()
                return (file, block, readers[file].layout!)
            }
            // The next unfinished source in turn (a loop, not arrays: this runs at every read, a byte long in the fuzzer).
            var file = -1
            for offset in 0..<sources.count where !finished[(nextSource + offset) % sources.count] {
                file = (nextSource + offset) % sources.count
                break
            }
            guard file >= 0 else { return nil }
            nextSource = (file + 1) % sources.count
            do {
                let count = try sources[file].source.read(into: buffer)
                let blocks: [RecordBlock]
                if count == 0 {
                    blocks = try readers[file].finish()
                    finished[file] = true
                } else {
                    blocks = try readers[file].consume(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                }
                readerRejections[file].append(contentsOf: readers[file].takeRejections())
                for block in blocks { queue.append((file, block)) }
            } catch let error as ContactFileError {
                failure = ContactFileFailure(fileIndex: file, error: error)
            } catch {
                failure = ContactFileFailure(fileIndex: file, sourceError: String(describing: error))
            }
        }
        return nil
    }
}
