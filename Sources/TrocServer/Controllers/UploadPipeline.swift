import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat
import TrocCore
import TrocCrypto
import TrocStore

/// One upload in flight: the envelope opened chunk by chunk, each authenticated chunk written to a
/// new blob under a fresh data key and handed to the engine's reader. Nothing is kept unless all of
/// it succeeds: `abort()` removes the partial blob and stops the reader.
final class UploadPipeline {
    private var opener: EnvelopeOpener
    private var writer: BlobWriter?
    private let ingest: StreamingIngest
    /// Where the blob goes once written.
    private let blobs: any BlobStorage
    /// Plaintext bytes decrypted so far.
    private(set) var plaintextByteCount: Int64 = 0

    init(broker: Broker, purpose: EnvelopePurpose, rules: ExchangeRules) throws {
        opener = EnvelopeOpener(privateKey: broker.keys.privateKey, purpose: purpose)
        blobs = broker.blobs
        writer = try broker.blobs.makeWriter(masterKey: broker.masterKey)
        ingest = StreamingIngest(rules: rules, hasher: broker.suppressionHasher(), parallelism: broker.configuration.ingestThreads)
    }

    /// Decrypts what arrived; stores and reads the chunks it completes.
    func feed(_ buffer: ByteBuffer) async throws {
        for chunk in try opener.feed(buffer.readableBytesView) {
            plaintextByteCount += Int64(chunk.count)
            try writer?.append(chunk)
            await ingest.send([UInt8](chunk))
        }
    }

    /// Checks the end marker, waits for the reader and commits the blob file.
    func finish() async throws -> (StoredBlob, ContactSet) {
        try opener.finish()
        let contacts = try await ingest.finish()
        guard let writer = writer.take() else { throw CancellationError() }
        return (try await blobs.finish(writer), contacts)
    }

    /// Drops everything: the partial blob, the reader.
    func abort() {
        ingest.cancel()
        writer.take()?.abort()
    }
}
