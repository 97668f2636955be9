import ArgumentParser
import Foundation
import NIOCore
import TrocClient
import TrocCore
import TrocCrypto

/// Streams an envelope from the broker into a file: decrypted chunk by chunk, written to a temporary
/// file renamed into place only when the end marker has authenticated.
enum EnvelopeDownload {
    /// Downloads `endpoint` into `output`, opened with the private key `key` finds for the fingerprint the broker names
    /// (`Troc-Key-Fingerprint`, nil if it names none); returns the bytes written and that fingerprint.
    static func run(
        _ client: TrocAPIClient, endpoint: Endpoint, purpose: String, output: String, key: @escaping (String?) throws -> EnvelopePrivateKey
    ) async throws -> (bytes: Int64, fingerprint: String?) {
        let envelopePurpose = try EnvelopePurpose(purpose)
        let temporary = output + ".partial"
        guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: temporary)
        else { throw TrocExit(.badInput, "troc: cannot write \(temporary)") }
        let state = DownloadState(handle: handle)
        let progress = TransferProgress(label: "downloaded", total: nil)
        do {
            _ = try await client.download(
                endpoint,
                begin: { headers in
                    state.fingerprint = headers.first { $0.name.lowercased() == "troc-key-fingerprint" }?.value
                    state.opener = EnvelopeOpener(privateKey: try key(state.fingerprint), purpose: envelopePurpose)
                },
                consume: { buffer in
                    try state.consume(buffer)
                    progress.update(state.written)
                })
            try state.finish()
            try handle.close()
            if FileManager.default.fileExists(atPath: output) { try FileManager.default.removeItem(atPath: output) }
            try FileManager.default.moveItem(atPath: temporary, toPath: output)
            progress.finish(state.written)
            StandardStreams.error.write("decrypted into \(output)" + (state.fingerprint.map { " (sealed to your firm's key \($0))" } ?? "") + "\n")
            return (state.written, state.fingerprint)
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporary)
            if let envelopeError = error as? EnvelopeError {
                throw TrocExit(.badInput, "troc: the download did not decrypt: \(envelopeError); nothing was written")
            }
            throw error
        }
    }

    /// The opener (made once the headers name the key) and the file, used by one download at a time.
    private final class DownloadState: @unchecked Sendable {
        var opener: EnvelopeOpener?
        var fingerprint: String?
        let handle: FileHandle
        var written: Int64 = 0

        init(handle: FileHandle) {
            self.handle = handle
        }

        func consume(_ buffer: ByteBuffer) throws {
            guard opener != nil else { throw TrocExit(.server, "troc: the broker sent a body before its headers") }
            for chunk in try opener!.feed(buffer.readableBytesView) {
                try handle.write(contentsOf: chunk)
                written += Int64(chunk.count)
            }
        }

        func finish() throws {
            guard opener != nil else { throw TrocExit(.server, "troc: the broker sent no envelope") }
            try opener!.finish()
        }
    }
}
