import Foundation
package import NIOCore
import NIOFoundationCompat
package import TrocCrypto

/// A file read and HPKE-sealed on demand, as an upload body: the network pulls, so memory stays at
/// one batch of records whatever the file's size.
package struct SealedFileStream: AsyncSequence, Sendable {
    package typealias Element = ByteBuffer

    private let path: String
    private let recipient: EnvelopePublicKey
    private let purpose: EnvelopePurpose
    private let chunkSize: Int
    private let progress: @Sendable (Int64) -> Void

    /// A stream of `path` sealed to `recipient` for `purpose`; `progress` receives plaintext bytes read so far.
    package init(
        path: String, recipient: EnvelopePublicKey, purpose: EnvelopePurpose, chunkSize: Int = ChunkSizeLimits.standard,
        progress: @escaping @Sendable (Int64) -> Void
    ) {
        self.path = path
        self.recipient = recipient
        self.purpose = purpose
        self.chunkSize = chunkSize
        self.progress = progress
    }

    package func makeAsyncIterator() -> Iterator {
        Iterator(path: path, recipient: recipient, purpose: purpose, chunkSize: chunkSize, progress: progress)
    }

    /// Reads ahead one chunk (a full chunk may be the last), seals batches of records, hands them over.
    package struct Iterator: AsyncIteratorProtocol {
        private let handle: FileHandle?
        private let chunkSize: Int
        private let progress: @Sendable (Int64) -> Void
        private var sealer: SealerBox?
        private var failure: (any Error)?
        private var header: Data?
        private var current = Data()
        private var readSoFar: Int64 = 0

        /// Holds the non-copyable sealer behind a reference, as iterators must be copyable.
        private final class SealerBox {
            var sealer: EnvelopeSealer?
            init(_ sealer: consuming EnvelopeSealer) { self.sealer = consume sealer }
        }

        init(path: String, recipient: EnvelopePublicKey, purpose: EnvelopePurpose, chunkSize: Int, progress: @escaping @Sendable (Int64) -> Void) {
            self.chunkSize = chunkSize
            self.progress = progress
            handle = FileHandle(forReadingAtPath: path)
            do {
                guard let handle else { throw ClientError.input("\(path): cannot open") }
                let sealer = try EnvelopeSealer(recipient: recipient, purpose: purpose, chunkSize: chunkSize)
                header = sealer.header.bytes
                self.sealer = SealerBox(sealer)
                current = try handle.read(upToCount: chunkSize) ?? Data()
            } catch {
                failure = error
            }
        }

        package mutating func next() async throws -> ByteBuffer? {
            if let failure {
                self.failure = nil
                sealer = nil
                throw failure
            }
            guard let box = sealer, let handle else { return nil }
            var batch = header ?? Data()
            header = nil
            // Eight records per buffer keeps per-write overhead low without holding much memory.
            for _ in 0..<8 {
                readSoFar += Int64(current.count)
                let following = try handle.read(upToCount: chunkSize) ?? Data()
                if following.isEmpty {
                    batch.append(try box.sealer.take()!.finish(current))
                    sealer = nil
                    try? handle.close()
                    break
                }
                batch.append(try box.sealer!.seal(current))
                current = following
            }
            progress(readSoFar)
            return ByteBuffer(data: batch)
        }
    }
}
