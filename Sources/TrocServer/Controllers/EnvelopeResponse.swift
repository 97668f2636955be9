import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat
import TrocCore
import TrocCrypto
import TrocStore

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
