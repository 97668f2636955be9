import Crypto
public import Foundation

/// Opens an envelope fed in slices of any size as they arrive, yielding each chunk's plaintext once it authenticates.
///
/// Chunks before the final record are yielded before the end marker is seen: treat what was yielded as provisional
/// until `finish()` returns.
public struct EnvelopeOpener: Sendable {
    /// The key the envelope must be sealed to.
    private let privateKey: EnvelopePrivateKey
    /// The purpose the envelope must be sealed for.
    private let purpose: EnvelopePurpose
    /// Header bytes received so far, until the header is complete.
    private var headerBytes: [UInt8] = []
    /// The header, once complete.
    public private(set) var header: EnvelopeHeader?
    /// The HPKE recipient context, once the header is complete.
    private var recipient: HPKE.Recipient?
    /// The record splitter, once the header is complete.
    private var reader: RecordReader?
    /// The first error, which every later call throws again.
    private var failure: EnvelopeError?

    /// An opener for an envelope sealed to `privateKey`'s public key for `purpose`.
    public init(privateKey: EnvelopePrivateKey, purpose: EnvelopePurpose) {
        self.privateKey = privateKey
        self.purpose = purpose
    }

    /// Whether the final record has been read and authenticated.
    public var isComplete: Bool { reader?.isComplete ?? false }

    /// Consumes the next bytes of the envelope, split anywhere, and returns the plaintext of every chunk they complete, in order.
    public mutating func feed(_ bytes: some ContiguousBytes) throws(EnvelopeError) -> [Data] {
        if let failure { throw failure }
        let result = bytes.withUnsafeBytes { buffer in Result { () throws(EnvelopeError) in try consume(buffer) } }
        if case .failure(let error) = result { failure = error }
        return try result.get()
    }

    /// Declares the end of input; throws unless the final record was read and authenticated.
    public mutating func finish() throws(EnvelopeError) {
        if let failure { throw failure }
        let error: EnvelopeError
        if let reader {
            guard let framing = reader.finish() else { return }
            error = .framing(framing)
        } else {
            error =
                headerBytes.count < EnvelopeHeader.magic.count ? .notAnEnvelope : .framing(.truncated(completeChunks: 0, offset: headerBytes.count))
        }
        failure = error
        throw error
    }

    /// Completes the header if needed, then hands the rest to the record reader.
    private mutating func consume(_ bytes: UnsafeRawBufferPointer) throws(EnvelopeError) -> [Data] {
        var rest = bytes
        if header == nil {
            let taken = min(EnvelopeHeader.byteCount - headerBytes.count, rest.count)
            headerBytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[..<taken]))
            rest = UnsafeRawBufferPointer(rebasing: rest[taken...])
            let validation = headerBytes.withUnsafeBytes { prefix in
                Result { () throws(EnvelopeError) in try EnvelopeHeader.validatePrefix(prefix) }
            }
            try validation.get()
            guard headerBytes.count == EnvelopeHeader.byteCount else { return [] }
            try start()
        }
        guard !rest.isEmpty else { return [] }
        // Moved out of self so the record callback can use the HPKE context without overlapping access to self.
        var reader = self.reader.take()!
        var recipient = self.recipient.take()!
        defer {
            self.reader = reader
            self.recipient = recipient
        }
        var plaintexts: [Data] = []
        try reader.feed(rest, failure: EnvelopeError.framing) { (record) throws(EnvelopeError) in
            do {
                plaintexts.append(try recipient.open(record.body, authenticating: record.header.bytes))
            } catch {
                throw record.index == 0 ? .wrongKeyOrPurpose : .framing(.chunkAuthenticationFailed(index: record.index, offset: record.offset))
            }
        }
        return plaintexts
    }

    /// Parses the complete header and sets up the HPKE recipient context.
    private mutating func start() throws(EnvelopeError) {
        let header = headerBytes.withUnsafeBytes { EnvelopeHeader(validated: $0) }
        let info = EnvelopeHeader.info(aead: header.aead, chunkSize: header.chunkSize, purpose: purpose)
        guard let ephemeralKey = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: header.encapsulatedKey),
            !X25519LowOrder.isLowOrder(ephemeralKey, with: privateKey.key)
        else {
            // An all-zero shared secret would give a key schedule anyone can compute.
            throw .invalidKey("the encapsulated key is a low-order X25519 point")
        }
        do {
            recipient = try HPKE.Recipient(
                privateKey: privateKey.key,
                ciphersuite: header.aead.ciphersuite,
                info: info,
                encapsulatedKey: header.encapsulatedKey
            )
        } catch {
            throw .invalidKey(String(describing: error))
        }
        reader = RecordReader(chunkSize: header.chunkSize, startOffset: EnvelopeHeader.byteCount)
        self.header = header
        headerBytes = []
    }
}
