import Dispatch
import Foundation
package import TrocCore

/// Runs the engine's reader over bytes that arrive asynchronously (an upload being decrypted),
/// on its own threads, with back-pressure: the sender waits while more than a few megabytes are queued.
package final class StreamingIngest: Sendable {
    private let channel: ByteChannel
    private let result: Task<ContactSet, any Error>

    /// Starts a reader with the user's column mappings, judging rows by `rules`.
    package init(mappings: [ColumnMapping] = [], rules: ExchangeRules, hasher: any MatchKeyHasher, parallelism: Int, bufferBytes: Int = 8 << 20) {
        let channel = ByteChannel(capacity: bufferBytes)
        self.channel = channel
        result = Task.detached {
            try await withCheckedThrowingContinuation { continuation in
                // The reader blocks on the channel: keep it off Swift's cooperative threads.
                DispatchQueue.global().async {
                    do {
                        let sets = try ContactFileIngest.read([channel], mappings: [mappings], rules: rules, hasher: hasher, parallelism: parallelism)
                        continuation.resume(returning: sets[0])
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
            }
        }
    }

    /// Hands the next plaintext bytes to the reader; waits while the reader is behind.
    package func send(_ bytes: [UInt8]) async {
        await channel.send(bytes)
    }

    /// Ends the input and waits for the parsed file (or the reader's file-level error).
    package func finish() async throws -> ContactSet {
        channel.close()
        return try await result.value
    }

    /// Stops the reader: the upload failed, its result is not wanted.
    package func cancel() {
        channel.fail()
    }
}

/// A bounded queue of byte chunks between an async producer and a blocking reader thread.
private final class ByteChannel: ContactByteSource, @unchecked Sendable {
    // Every field below is read and written only with `condition` locked.
    private let condition = NSCondition()
    private let capacity: Int
    private var chunks: [[UInt8]] = []
    private var offset = 0
    private var queued = 0
    private var closed = false
    private var failed = false
    private var waitingSender: CheckedContinuation<Void, Never>?

    init(capacity: Int) {
        self.capacity = capacity
    }

    func send(_ bytes: [UInt8]) async {
        guard !bytes.isEmpty else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            defer { condition.unlock() }
            guard !failed, !closed else {
                continuation.resume()
                return
            }
            chunks.append(bytes)
            queued += bytes.count
            condition.signal()
            if queued > capacity {
                waitingSender = continuation
            } else {
                continuation.resume()
            }
        }
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    func fail() {
        condition.lock()
        failed = true
        let sender = waitingSender
        waitingSender = nil
        condition.broadcast()
        condition.unlock()
        sender?.resume()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        condition.lock()
        while chunks.isEmpty && !closed && !failed { condition.wait() }
        if failed {
            condition.unlock()
            throw CancellationError()
        }
        var copied = 0
        while copied < buffer.count, let first = chunks.first {
            let count = min(buffer.count - copied, first.count - offset)
            first.withUnsafeBytes { source in
                (buffer.baseAddress! + copied).copyMemory(from: source.baseAddress! + offset, byteCount: count)
            }
            copied += count
            offset += count
            if offset == first.count {
                chunks.removeFirst()
                offset = 0
            }
        }
        queued -= copied
        var sender: CheckedContinuation<Void, Never>?
        if queued <= capacity / 2 {
            sender = waitingSender
            waitingSender = nil
        }
        condition.unlock()
        sender?.resume()
        return copied
    }
}
