/// One complete record, handed to the format that authenticates and decrypts it.
struct SealedRecord {
    /// Position of the record in the stream, from 0.
    let index: Int
    /// Byte offset of the record's first byte in the whole stream, header included.
    let offset: Int
    /// The record's clear header, which the format authenticates.
    let header: RecordHeader
    /// Ciphertext followed by the tag; valid only during the call that receives it.
    let body: UnsafeRawBufferPointer
}

/// Splits the bytes after a stream's header into records, whatever the sizes of the slices it is fed.
struct RecordReader: Sendable {
    /// What the reader expects next.
    private enum Phase: Sendable {
        case recordHeader
        case body(RecordHeader)
        case done
    }

    /// Plaintext bytes of every non-final record.
    let chunkSize: Int
    /// Records read and opened so far.
    private(set) var completeRecords = 0
    /// Bytes of the whole stream consumed so far, header included.
    private(set) var offset: Int
    /// Stream offset of the record being read.
    private var recordOffset: Int
    /// What the reader expects next.
    private var phase = Phase.recordHeader
    /// The part of a record header or body that arrived split across slices.
    private var pending: [UInt8] = []

    /// Starts reading records at `startOffset`, just after the stream's header.
    init(chunkSize: Int, startOffset: Int) {
        self.chunkSize = chunkSize
        self.offset = startOffset
        self.recordOffset = startOffset
    }

    /// Whether the final record has been read and opened.
    var isComplete: Bool {
        if case .done = phase { true } else { false }
    }

    /// Consumes `input`, calling `open` on each record it completes; framing faults go through `failure`.
    mutating func feed<E: Error>(
        _ input: UnsafeRawBufferPointer,
        failure: (FramingFailure) -> E,
        open: (SealedRecord) throws(E) -> Void
    ) throws(E) {
        var rest = input
        while !rest.isEmpty {
            switch phase {
            case .done:
                throw failure(.trailingData(offset: offset))
            case .recordHeader:
                let parsed: Result<RecordHeader, FramingFailure.Reason>
                if pending.isEmpty && rest.count >= RecordHeader.byteCount {
                    parsed = RecordHeader.parse(rest, chunkSize: chunkSize)
                    consume(RecordHeader.byteCount, of: &rest)
                } else {
                    gather(upTo: RecordHeader.byteCount, from: &rest)
                    guard pending.count == RecordHeader.byteCount else { continue }
                    parsed = pending.withUnsafeBytes { RecordHeader.parse($0, chunkSize: chunkSize) }
                    pending.removeAll(keepingCapacity: true)
                }
                switch parsed {
                case .success(let header):
                    phase = .body(header)
                case .failure(let reason):
                    throw failure(.malformedRecord(index: completeRecords, offset: recordOffset, reason: reason))
                }
            case .body(let header):
                let bodyCount = header.plaintextLength + RecordHeader.tagByteCount
                if pending.isEmpty && rest.count >= bodyCount {
                    // The common case on large network reads: open straight from the caller's buffer, no copy.
                    try open(record(header, body: UnsafeRawBufferPointer(rebasing: rest[..<bodyCount])))
                    consume(bodyCount, of: &rest)
                } else {
                    pending.reserveCapacity(bodyCount)
                    gather(upTo: bodyCount, from: &rest)
                    guard pending.count == bodyCount else { continue }
                    let result = pending.withUnsafeBytes { body in
                        Result { () throws(E) in try open(record(header, body: body)) }
                    }
                    try result.get()
                    pending.removeAll(keepingCapacity: true)
                }
                completeRecords += 1
                recordOffset = offset
                phase = header.isFinal ? .done : .recordHeader
            }
        }
    }

    /// The failure to report at the end of input, or nil when the final record was read.
    func finish() -> FramingFailure? {
        isComplete ? nil : .truncated(completeChunks: completeRecords, offset: offset)
    }

    /// The record being completed, around `body`.
    private func record(_ header: RecordHeader, body: UnsafeRawBufferPointer) -> SealedRecord {
        SealedRecord(index: completeRecords, offset: recordOffset, header: header, body: body)
    }

    /// Moves bytes from `rest` into `pending` until it holds `count` bytes or `rest` is empty.
    private mutating func gather(upTo count: Int, from rest: inout UnsafeRawBufferPointer) {
        let taken = min(count - pending.count, rest.count)
        pending.append(contentsOf: rest[..<taken])
        consume(taken, of: &rest)
    }

    /// Drops `count` consumed bytes from the front of `rest`.
    private mutating func consume(_ count: Int, of rest: inout UnsafeRawBufferPointer) {
        rest = UnsafeRawBufferPointer(rebasing: rest[count...])
        offset += count
    }
}
