import Dispatch
import Foundation
import Synchronization
package import TrocCore

/// Runs the engine's reader over bytes that arrive asynchronously (an upload being decrypted),
/// on its own threads, with back-pressure: the sender waits while more than a few megabytes are queued.
package final class StreamingIngest: Sendable {
    private let channel: ByteChannel
    private let outcome = IngestOutcome()

    /// Starts a reader with the user's column mappings, judging rows by `rules`.
    package init(mappings: [ColumnMapping] = [], rules: ExchangeRules, hasher: any MatchKeyHasher, parallelism: Int, bufferBytes: Int = 8 << 20) {
        let channel = ByteChannel(capacity: bufferBytes)
        self.channel = channel
        let outcome = outcome
        // The reader blocks on the channel: keep it off Swift's cooperative threads.
        DispatchQueue.global().async {
            outcome.deliver(
                Result { try ContactFileIngest.read([channel], mappings: [mappings], rules: rules, hasher: hasher, parallelism: parallelism)[0] })
        }
    }

    /// Hands the next plaintext bytes to the reader; waits while the reader is behind.
    package func send(_ bytes: [UInt8]) async {
        await channel.send(bytes)
    }

    /// Ends the input and waits for the parsed file (or the reader's file-level error). The parsed file is handed over, not
    /// kept: it is a large file's largest allocation, and the caller decides when it ends.
    package func finish() async throws -> ContactSet {
        channel.close()
        return try await outcome.take()
    }

    /// Stops the reader: the upload failed, its result is not wanted.
    package func cancel() {
        channel.fail()
    }
}

/// The reader's result, handed over once: to a waiting `take`, or kept until one comes.
private final class IngestOutcome: Sendable {
    private enum State {
        case running
        case waiting(CheckedContinuation<ContactSet, any Error>)
        case done(Result<ContactSet, any Error>)
        case taken
    }

    private let state = Mutex(State.running)

    func deliver(_ result: Result<ContactSet, any Error>) {
        let waiting = state.withLock { state -> CheckedContinuation<ContactSet, any Error>? in
            guard case .waiting(let continuation) = state else {
                state = .done(result)
                return nil
            }
            state = .taken
            return continuation
        }
        waiting?.resume(with: result)
    }

    func take() async throws -> ContactSet {
        try await withCheckedThrowingContinuation { continuation in
            let result = state.withLock { state -> Result<ContactSet, any Error>? in
                switch state {
                case .running:
                    state = .waiting(continuation)
                    return nil
                case .done(let result):
                    state = .taken
                    return result
                case .waiting, .taken:
                    preconditionFailure("the parsed file is taken once")
                }
            }
            if let result { continuation.resume(with: result) }
        }
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
