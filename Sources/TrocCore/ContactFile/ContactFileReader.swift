/// A run of complete records from one file, which can be parsed independently of the others.
public struct RecordBlock: Sendable {
    /// UTF-8 bytes of whole records.
    var bytes: [UInt8]
    /// Physical line (1-based) where the first record starts.
    var firstLine: Int
    /// Position of the block in its file.
    var sequence: Int
}

/// Bounds that keep memory flat whatever the input.
public struct ReaderLimits: Sendable {
    /// A row longer than this is rejected and the reader skips to the next line.
    public var maxRecordBytes: Int
    /// Blocks are cut at the first record end past this size.
    public var blockBytes: Int
    /// Bytes examined to guess the separator.
    public var sniffBytes: Int

    /// The defaults: 1 MiB rows, 2 MiB blocks, 64 KiB sniffing.
    public init(maxRecordBytes: Int = 1 << 20, blockBytes: Int = 2 << 20, sniffBytes: Int = 64 << 10) {
        self.maxRecordBytes = maxRecordBytes
        self.blockBytes = blockBytes
        self.sniffBytes = sniffBytes
    }
}

/// Streams a contact file: chunks of bytes in any supported encoding go in, blocks of complete
/// UTF-8 records come out, never the whole file at once.
///
/// The reader decodes, guesses the separator from the first records, reads the header, and cuts
/// the stream at record ends, tracking quotes so a quoted line break never splits a record. A row
/// longer than the limit, or a quote that never closes, costs only that row: it is rejected with
/// its line and the reader resumes at the next line.
public struct ContactFileReader: Sendable {
    private let mappings: [ColumnMapping]
    private let limits: ReaderLimits
    private var decoder = TextDecoder()
    private var pending: [UInt8] = []
    private var pendingLine = 1
    /// LF bytes in `pending`, kept up to date so that cutting a block never recounts it.
    private var pendingLineFeeds = 0
    private var scanPosition = 0
    private var inQuotes = false
    private var boundary = 0
    private var skippingLongRecord = false
    private var nextSequence = 0
    private var receivedBytes = false
    private var rejections: [RowRejection] = []
    private var spareBuffers: [[UInt8]] = []
    private var delimiter: UInt8 = UInt8(ascii: ";")
    /// Whether the line ends (old Mac or not) and the separator have been decided; each is decided once.
    private var decidedLineEnds = false
    private var decidedDelimiter = false
    /// How much of `pending` the last search for the header's end saw without finding it: until an LF arrives past it,
    /// the header cannot end, and read after small read need not scan it again (which made a long header quadratic).
    private var headerSearched = 0

    /// The encoding, separator and columns, once the header has been read.
    public private(set) var layout: ContactFileLayout?

    /// A reader applying the user's column overrides.
    public init(mappings: [ColumnMapping] = [], limits: ReaderLimits = ReaderLimits()) {
        self.mappings = mappings
        self.limits = limits
    }

    /// Feeds the next chunk of the file; returns the blocks it completed.
    public mutating func consume(_ chunk: UnsafeRawBufferPointer) throws(ContactFileError) -> [RecordBlock] {
        if !chunk.isEmpty { receivedBytes = true }
        try decoder.decode(chunk, isFinal: false, into: &pending)
        pendingLineFeeds += decoder.takeLineFeeds()
        return try advance(isFinal: false)
    }

    /// Ends the file; returns the last blocks.
    public mutating func finish() throws(ContactFileError) -> [RecordBlock] {
        try decoder.decode(UnsafeRawBufferPointer(start: nil, count: 0), isFinal: true, into: &pending)
        pendingLineFeeds += decoder.takeLineFeeds()
        guard receivedBytes else { throw .empty }
        let blocks = try advance(isFinal: true)
        // The first non-ASCII byte decides the encoding, and it may come after the header: the layout names what the
        // whole file was read as, not what was known when the header was read (which depends on the sizes of the reads).
        layout?.encoding = decoder.encoding
        return blocks
    }

    /// Reads `source` to its end on this thread, handing each batch of completed blocks to `body` once the
    /// header is known (the whole file for streaming rewrites; the parallel ingest drives `consume` itself).
    public mutating func readAll(
        from source: any ContactByteSource, _ body: (ContactFileLayout, [RecordBlock]) throws -> Void
    ) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var finished = false
        while !finished {
            let count = try source.read(into: buffer)
            let blocks: [RecordBlock]
            if count == 0 {
                blocks = try finish()
                finished = true
            } else {
                blocks = try consume(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            }
            if let layout { try body(layout, blocks) }
        }
    }

    /// Gives back a parsed block's bytes so the next block reuses its memory instead of fresh pages.
    public mutating func recycle(_ buffer: consuming [UInt8]) {
        guard spareBuffers.count < 4 else { return }
        spareBuffers.append(buffer)
    }

    /// Rows rejected while splitting (too long, unterminated quote), handed over once.
    public mutating func takeRejections() -> [RowRejection] {
        defer { rejections = [] }
        return rejections
    }

    private mutating func advance(isFinal: Bool) throws(ContactFileError) -> [RecordBlock] {
        if layout == nil {
            guard try readHeader(isFinal: isFinal) else { return [] }
        }
        var blocks: [RecordBlock] = []
        while true {
            if skippingLongRecord {
                guard skipToNextLine() else { break }
            }
            scanRecords(isFinal: isFinal)
            if pending.count - boundary > limits.maxRecordBytes || isFinal && inQuotes {
                if boundary > 0 { blocks.append(cutBlock()) }
                rejectRecordAtStart()
                continue
            }
            if isFinal {
                if boundary < pending.count { boundary = pending.count }
                if boundary > 0 { blocks.append(cutBlock()) }
                break
            }
            if boundary >= limits.blockBytes {
                blocks.append(cutBlock())
                continue
            }
            break
        }
        return blocks
    }

    // MARK: Header and separator

    /// Reads the header once enough bytes are in; returns whether the layout is known.
    ///
    /// Every decision here reads the same bytes whatever the sizes of the reads, as if they came one at a
    /// time: line ends and separator are decided once, on the first `sniffBytes` bytes and the one after
    /// them (or the whole file if it is shorter; and the byte after that when the window ends on a CR), and the
    /// header is looked for in its first `maxRecordBytes`.
    private mutating func readHeader(isFinal: Bool) throws(ContactFileError) -> Bool {
        guard pending.count > limits.sniffBytes || isFinal else { return false }
        if !decidedLineEnds {
            let window = pending[..<min(pending.count, limits.sniffBytes + 1)]
            var oldMac = !window.contains(CSVRecordScanner.lineFeed) && window.contains(CSVRecordScanner.carriageReturn)
            if oldMac, window.firstIndex(of: CSVRecordScanner.carriageReturn) == window.endIndex - 1 {
                // The window's only CR is its last byte: the first half of a CRLF if the byte after it is a LF.
                if window.endIndex < pending.count {
                    oldMac = pending[window.endIndex] != CSVRecordScanner.lineFeed
                } else if !isFinal {
                    return false
                }
            }
            decidedLineEnds = true
            if oldMac {
                // Old Mac line ends: CR alone.
                decoder.translateCarriageReturns(in: &pending, from: 0)
                pendingLineFeeds = pending.withUnsafeBufferPointer { ByteSearch.countLineFeeds(in: $0, from: 0, to: $0.count) }
            }
        }
        // Blank lines before the header are not the header.
        while let first = pending.first, first == CSVRecordScanner.lineFeed || first == CSVRecordScanner.carriageReturn {
            if first == CSVRecordScanner.lineFeed {
                pendingLine += 1
                pendingLineFeeds -= 1
            }
            pending.removeFirst()
        }
        guard !pending.isEmpty else {
            if isFinal { throw .empty }
            return false
        }
        if !decidedDelimiter {
            guard pending.count > limits.sniffBytes || isFinal else { return false }
            decidedDelimiter = true
            // More than `sniffBytes` are in unless the file is shorter, so a record the window cuts is seen as cut.
            delimiter = ContactFileReader.sniffDelimiter(pending, window: limits.sniffBytes)
        }
        let searched = min(pending.count, limits.maxRecordBytes)
        // Without a new LF the header's end is no nearer (a record ends only at an LF), and the same errors wait for
        // the window's limit or the file's end, which go through the scan below.
        if !isFinal, searched < limits.maxRecordBytes, headerSearched > 0, headerSearched <= searched,
            !pending[headerSearched..<searched].contains(CSVRecordScanner.lineFeed)
        {
            headerSearched = searched
            return false
        }
        let scanner = CSVRecordScanner(delimiter: delimiter)
        var fields = FieldSpans()
        let scan = pending.withUnsafeBufferPointer { all in scanner.scan(UnsafeBufferPointer(rebasing: all[..<searched]), from: 0, into: &fields) }
        guard fields.isComplete else { throw .badHeader("the header has more than \(fields.capacity) columns") }
        if scan.unterminatedQuote || scan.next == searched && !(isFinal && searched == pending.count) {
            guard searched < limits.maxRecordBytes, !isFinal else {
                throw .badHeader(
                    scan.unterminatedQuote ? "a quoted header cell is never closed" : "the header line is longer than \(limits.maxRecordBytes) bytes")
            }
            // An LF as the last byte may end the header: the scan tells only once a byte follows it, so it stays unseen.
            headerSearched = pending[searched - 1] == CSVRecordScanner.lineFeed ? searched - 1 : searched
            return false
        }
        let headers = pending.withUnsafeBufferPointer { all in
            let bytes = UnsafeBufferPointer(rebasing: all[..<searched])
            var scratch = ByteScratch(capacity: bytes.count + 1)
            return (0..<fields.count).map { index in
                String(decoding: CSVRecordScanner.value(of: fields[index], in: bytes, scratch: &scratch), as: UTF8.self).trimmingSpaces
            }
        }
        let headerLength = scan.next
        layout = try ContactFileLayout(encoding: decoder.encoding, delimiter: delimiter, headers: headers, overrides: mappings)
        pending.removeFirst(headerLength)
        pendingLine += scan.lineBreaks
        pendingLineFeeds -= scan.lineBreaks
        return true
    }

    /// Picks the separator whose field count is the most consistent over the first records (ties: `;` `,` TAB `|`).
    static func sniffDelimiter(_ bytes: [UInt8], window: Int) -> UInt8 {
        let candidates: [UInt8] = [UInt8(ascii: ";"), UInt8(ascii: ","), UInt8(ascii: "\t"), UInt8(ascii: "|")]
        var best: (delimiter: UInt8, score: (Int, Int, Int)) = (candidates[0], (0, 0, 0))
        bytes.withUnsafeBufferPointer { all in
            let sample = UnsafeBufferPointer(rebasing: all[0..<min(all.count, window)])
            for delimiter in candidates {
                let scanner = CSVRecordScanner(delimiter: delimiter)
                var fields = FieldSpans()
                var counts: [Int] = []
                var position = 0
                while position < sample.count, counts.count < 30 {
                    let scan = scanner.scan(sample, from: position, into: &fields)
                    // The last record of the window is usually cut short: count only whole ones, and the header.
                    if scan.unterminatedQuote || scan.next == sample.count && sample.count < all.count && !counts.isEmpty { break }
                    if !fields.isBlankLine { counts.append(fields.count) }
                    position = scan.next
                }
                guard let header = counts.first, header > 1 else { continue }
                let rows = counts.dropFirst()
                let consistent = rows.isEmpty ? 1000 : rows.filter { $0 == header }.count * 1000 / rows.count
                let score = (1, consistent, header)
                if score > best.score { best = (delimiter, score) }
            }
        }
        return best.delimiter
    }

    // MARK: Splitting

    /// Scans `pending` for record ends, never further than one byte past the longest record allowed: a
    /// record too long is then refused in the same state (and for the same reason) whatever the sizes of
    /// the reads, as if the bytes had come one at a time. Scanning the whole of a large read instead
    /// would accept a record too long whenever its end arrived in the same read as its excess.
    private mutating func scanRecords(isFinal: Bool) {
        while true {
            let start = boundary
            let end = min(pending.count, boundary + limits.maxRecordBytes + 1)
            scan(upTo: end, isFinal: isFinal && end == pending.count)
            guard boundary != start, end < pending.count else { return }
        }
    }

    /// Advances the quote-aware scan over `pending[..<end]`, moving `boundary` to the last record end found.
    private mutating func scan(upTo end: Int, isFinal: Bool) {
        let count = end
        let delimiter = self.delimiter
        var position = scanPosition
        var inQuotes = self.inQuotes
        var boundary = self.boundary
        pending.withUnsafeBufferPointer { bytes in
            while position < count {
                if inQuotes {
                    guard let quote = ByteSearch.first(CSVRecordScanner.quote, in: bytes, from: position, to: count) else {
                        position = count
                        break
                    }
                    if quote + 1 < count {
                        if bytes[quote + 1] == CSVRecordScanner.quote {
                            position = quote + 2
                        } else {
                            inQuotes = false
                            position = quote + 1
                        }
                    } else if isFinal {
                        inQuotes = false
                        position = count
                    } else {
                        // A quote as the last byte: whether it is doubled shows with the next chunk.
                        position = quote
                        break
                    }
                } else {
                    let quote = ByteSearch.first(CSVRecordScanner.quote, in: bytes, from: position, to: count) ?? count
                    if let lineFeed = ByteSearch.last(CSVRecordScanner.lineFeed, in: bytes, from: position, to: quote) {
                        boundary = lineFeed + 1
                    }
                    if quote == count {
                        position = count
                        break
                    }
                    // A quote opens a field only at its start, as the row parser (`CSVRecordScanner`) and Excel read it: a
                    // bare CR is not a line end here (old Mac files have theirs turned into LF before this scan).
                    let previous = quote == 0 ? CSVRecordScanner.lineFeed : bytes[quote - 1]
                    if previous == delimiter || previous == CSVRecordScanner.lineFeed {
                        inQuotes = true
                    }
                    position = quote + 1
                }
            }
        }
        scanPosition = position
        self.inQuotes = inQuotes
        self.boundary = boundary
    }

    /// Hands `pending[0..<boundary]` out as a block, keeping the rest.
    private mutating func cutBlock() -> RecordBlock {
        var rest = spareBuffers.popLast() ?? []
        rest.removeAll(keepingCapacity: true)
        rest.reserveCapacity(limits.blockBytes + (1 << 20))
        rest.append(contentsOf: pending[boundary...])
        pending.removeLast(pending.count - boundary)
        let restLineFeeds = rest.withUnsafeBufferPointer { ByteSearch.countLineFeeds(in: $0, from: 0, to: $0.count) }
        let lines = pendingLineFeeds - restLineFeeds
        pendingLineFeeds = restLineFeeds
        let block = RecordBlock(bytes: pending, firstLine: pendingLine, sequence: nextSequence)
        nextSequence += 1
        pendingLine += lines
        pending = rest
        scanPosition -= boundary
        boundary = 0
        return block
    }

    /// Rejects the over-long or never-closed record at the start of `pending` and resumes at its next line.
    private mutating func rejectRecordAtStart() {
        var rejection = RowRejection(line: pendingLine, reason: inQuotes ? .rowUnterminatedQuote : .rowTooLong)
        if inQuotes {
            let scanner = CSVRecordScanner(delimiter: delimiter)
            var fields = FieldSpans()
            let window = min(pending.count, limits.maxRecordBytes)
            let scan = pending.withUnsafeBufferPointer { scanner.scan(UnsafeBufferPointer(rebasing: $0[0..<window]), from: 0, into: &fields) }
            if scan.unterminatedQuote {
                rejection.column = fields.count + 1
                rejection.field = layout.flatMap { fields.count < $0.headers.count ? $0.headers[fields.count] : nil }
            }
        } else {
            rejection.detail = "longer than \(limits.maxRecordBytes) bytes"
        }
        rejections.append(rejection)
        inQuotes = false
        scanPosition = 0
        boundary = 0
        if let lineFeed = pending.firstIndex(of: CSVRecordScanner.lineFeed) {
            pending.removeFirst(lineFeed + 1)
            pendingLine += 1
            pendingLineFeeds -= 1
        } else {
            pending.removeAll(keepingCapacity: true)
            pendingLineFeeds = 0
            skippingLongRecord = true
        }
    }

    /// Drops bytes up to the end of the current physical line; returns whether it was found.
    private mutating func skipToNextLine() -> Bool {
        guard let lineFeed = pending.firstIndex(of: CSVRecordScanner.lineFeed) else {
            pending.removeAll(keepingCapacity: true)
            pendingLineFeeds = 0
            return false
        }
        pending.removeFirst(lineFeed + 1)
        pendingLine += 1
        pendingLineFeeds -= 1
        skippingLongRecord = false
        scanPosition = 0
        boundary = 0
        return true
    }
}
