import Crypto
public import Foundation

/// Decrypts a stored blob fed in slices of any size, yielding each chunk's plaintext once it authenticates.
public struct BlobOpener: Sendable {
    /// The blob's data key, unwrapped from the master key.
    private let dataKey: DataKey
    /// Header bytes received so far; after the header, the first part of every record's AAD.
    private var headerBytes: [UInt8] = []
    /// The header, once complete.
    public private(set) var header: BlobHeader?
    /// The record splitter, once the header is complete.
    private var reader: RecordReader?
    /// The first error, which every later call throws again.
    private var failure: BlobError?

    /// An opener for a blob sealed under `dataKey`.
    public init(dataKey: DataKey) {
        self.dataKey = dataKey
    }

    /// Whether the final record has been read and authenticated.
    public var isComplete: Bool { reader?.isComplete ?? false }

    /// Consumes the next bytes of the blob, split anywhere, and returns the plaintext of every chunk they complete, in order.
    public mutating func feed(_ bytes: some ContiguousBytes) throws(BlobError) -> [Data] {
        if let failure { throw failure }
        let result = bytes.withUnsafeBytes { buffer in Result { () throws(BlobError) in try consume(buffer) } }
        if case .failure(let error) = result { failure = error }
        return try result.get()
    }

    /// Declares the end of input; throws unless the final record was read and authenticated.
    public mutating func finish() throws(BlobError) {
        if let failure { throw failure }
        let error: BlobError
        if let reader {
            guard let framing = reader.finish() else { return }
            error = .framing(framing)
        } else {
            error = headerBytes.count < BlobHeader.magic.count ? .notABlob : .framing(.truncated(completeChunks: 0, offset: headerBytes.count))
        }
        failure = error
        throw error
    }

    /// Completes the header if needed, then hands the rest to the record reader.
    private mutating func consume(_ bytes: UnsafeRawBufferPointer) throws(BlobError) -> [Data] {
        var rest = bytes
        if header == nil {
            let taken = min(BlobHeader.byteCount - headerBytes.count, rest.count)
            headerBytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[..<taken]))
            rest = UnsafeRawBufferPointer(rebasing: rest[taken...])
            let validation = headerBytes.withUnsafeBytes { prefix in
                Result { () throws(BlobError) in try BlobHeader.validatePrefix(prefix) }
            }
            try validation.get()
            guard headerBytes.count == BlobHeader.byteCount else { return [] }
            let header = headerBytes.withUnsafeBytes { BlobHeader(validated: $0) }
            reader = RecordReader(chunkSize: header.chunkSize, startOffset: BlobHeader.byteCount)
            self.header = header
        }
        guard !rest.isEmpty else { return [] }
        // Moved out of self so the record callback can read the key and header without overlapping access to self.
        var reader = self.reader.take()!
        defer { self.reader = reader }
        let key = dataKey.key
        let blobHeader = headerBytes
        var plaintexts: [Data] = []
        try reader.feed(rest, failure: BlobError.framing) { (record) throws(BlobError) in
            do {
                let body = record.body
                let tagStart = body.count - RecordHeader.tagByteCount
                let box = try AES.GCM.SealedBox(
                    nonce: AES.GCM.Nonce(data: BlobHeader.nonce(recordIndex: UInt64(record.index))),
                    ciphertext: UnsafeRawBufferPointer(rebasing: body[..<tagStart]),
                    tag: UnsafeRawBufferPointer(rebasing: body[tagStart...])
                )
                plaintexts.append(try AES.GCM.open(box, using: key, authenticating: blobHeader + record.header.bytes))
            } catch {
                throw record.index == 0 ? .wrongDataKey : .framing(.chunkAuthenticationFailed(index: record.index, offset: record.offset))
            }
        }
        return plaintexts
    }
}
