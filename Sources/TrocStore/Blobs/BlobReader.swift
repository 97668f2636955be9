import Foundation
import TrocCore
import TrocCrypto

/// Streams the plaintext of one stored blob, decrypting and authenticating each chunk as it reads.
///
/// Every byte returned belongs to a chunk that authenticated, but a truncated blob is only detected at its end, as a
/// throwing `read`: a consumer must discard what it built from a blob whose reading failed.
package final class BlobReader: ContactByteSource {
    /// Encrypted bytes read from the file at a time.
    static let readSize = 1 << 20

    /// The blob id.
    package let id: String
    /// The blob file.
    private let path: String
    /// The open blob file.
    private let descriptor: Int32
    /// The decrypting state.
    private var opener: BlobOpener
    /// Encrypted bytes read from the file.
    private let readBuffer: UnsafeMutableRawBufferPointer
    /// Authenticated plaintext chunks not yet handed out.
    private var chunks: [Data] = []
    /// Index of the chunk being handed out.
    private var chunkIndex = 0
    /// Bytes of that chunk already handed out.
    private var chunkOffset = 0
    /// Whether the final record authenticated and the file ended right after it.
    private var isAtEnd = false

    /// Opens the blob file.
    convenience init(id: String, path: String, dataKey: DataKey) throws(BlobStoreError) {
        let descriptor: Int32
        do throws(BlobStoreError) {
            descriptor = try POSIXFile.open(path, O_RDONLY)
        } catch .io(_, _, ENOENT) {
            throw .blobNotFound(id: id)
        }
        self.init(id: id, descriptor: descriptor, path: path, dataKey: dataKey)
    }

    /// Reads the encrypted blob from `descriptor`, positioned at its start, which the reader closes; `path` names it in errors.
    init(id: String, descriptor: Int32, path: String, dataKey: DataKey) {
        self.descriptor = descriptor
        self.id = id
        self.path = path
        opener = BlobOpener(dataKey: dataKey)
        readBuffer = .allocate(byteCount: Self.readSize, alignment: 16)
    }

    deinit {
        close(descriptor)
        readBuffer.deallocate()
    }

    /// Fills `buffer` with the next plaintext bytes; returns how many, 0 once the whole blob has been read and authenticated.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(BlobStoreError) -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            if chunkIndex < chunks.count {
                let copied = chunks[chunkIndex].withUnsafeBytes { chunk in
                    let count = min(chunk.count - chunkOffset, buffer.count)
                    buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: chunk[chunkOffset..<(chunkOffset + count)]))
                    return count
                }
                chunkOffset += copied
                if chunkOffset == chunks[chunkIndex].count {
                    chunkIndex += 1
                    chunkOffset = 0
                }
                if copied > 0 { return copied }
                continue
            }
            if isAtEnd { return 0 }
            try refill()
        }
    }

    /// Reads the next encrypted bytes and decrypts the chunks they complete; at end of file, checks the blob was whole.
    private func refill() throws(BlobStoreError) {
        chunks.removeAll(keepingCapacity: true)
        chunkIndex = 0
        chunkOffset = 0
        let count = try POSIXFile.read(descriptor, into: readBuffer, path: path)
        do throws(BlobError) {
            if count == 0 {
                try opener.finish()
                isAtEnd = true
            } else {
                chunks = try opener.feed(UnsafeRawBufferPointer(rebasing: readBuffer[..<count]))
            }
        } catch {
            throw .damaged(id: id, error)
        }
    }
}
