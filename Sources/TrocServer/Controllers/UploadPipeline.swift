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
    /// Plaintext bytes decrypted so far.
    private(set) var plaintextByteCount: Int64 = 0

    init(broker: Broker, purpose: EnvelopePurpose, rules: ExchangeRules) throws {
        opener = EnvelopeOpener(privateKey: broker.keys.privateKey, purpose: purpose)
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
        return (try writer.finish(), contacts)
    }

    /// Drops everything: the partial blob, the reader.
    func abort() {
        ingest.cancel()
        writer.take()?.abort()
    }
}

/// A stored blob streamed out re-encrypted to a recipient: read, decrypted, sealed chunk by chunk.
enum EnvelopeResponse {
    static func stream(from reader: BlobReader, to recipient: EnvelopePublicKey, purpose: EnvelopePurpose, length: Int64) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/octet-stream"
        headers[.contentLength] = String(length)
        let source = UncheckedReader(reader: reader)
        let body = ResponseBody { writer in
            let chunkSize = ChunkSizeLimits.standard
            var sealer = try EnvelopeSealer(recipient: recipient, purpose: purpose, chunkSize: chunkSize)
            var batch = sealer.header.bytes
            var current = try source.readChunk(chunkSize)
            while true {
                let following = try source.readChunk(chunkSize)
                if following.isEmpty {
                    batch.append(try sealer.finish(current))
                    try await writer.write(ByteBuffer(data: batch))
                    break
                }
                batch.append(try sealer.seal(current))
                current = following
                if batch.count >= 256 << 10 {
                    try await writer.write(ByteBuffer(data: batch))
                    batch.removeAll(keepingCapacity: true)
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}

/// The blob reader crosses into the response-writing task, which alone uses it.
private struct UncheckedReader: @unchecked Sendable {
    let reader: BlobReader

    /// Up to `count` bytes: exactly `count` unless the blob ends.
    func readChunk(_ count: Int) throws -> Data {
        var data = Data(count: count)
        var filled = 0
        try data.withUnsafeMutableBytes { buffer in
            while filled < count {
                let read = try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                if read == 0 { break }
                filled += read
            }
        }
        data.removeLast(count - filled)
        return data
    }
}
