import ArgumentParser
import Foundation
import NIOCore
import TrocClient
import TrocCore
import TrocCrypto

/// `troc upload FILE`: encrypts the file to the broker key in fixed-size chunks and streams it.
struct UploadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload", abstract: "Encrypt a prospect file to the broker and upload it; prints the ingestion report.")

    @OptionGroup var options: ClientOptions
    @Argument(help: "The CSV file.") var file: String
    @Option(help: "The name the broker records (default: the file's name).") var name: String?

    func run() async throws {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file), let size = (attributes[.size] as? NSNumber)?.int64Value else {
            throw TrocExit(.badInput, "troc: \(file): no such file")
        }
        let stored: StoredFile = try await options.withClient { client in
            let me = try await client.me()
            let recipient = try await BrokerKeyPin.verifiedKey(client, profile: options.profile)
            let purpose = try EnvelopePurpose(TransferPurpose.upload(organisationID: me.organisation.id))
            let progress = TransferProgress(label: "uploaded", total: size)
            let body = SealedFileStream(path: file, recipient: recipient, purpose: purpose) { progress.update($0) }
            let fileName = name ?? (file as NSString).lastPathComponent
            let stored = try await client.uploadFile(name: fileName, body: body, length: EnvelopeLength.of(plaintextBytes: size))
            progress.finish(size)
            return stored
        }
        options.print(stored) {
            "Stored \(stored.name) as \(stored.id) (\(stored.byteCount) bytes, encrypted at rest).\n\n" + FileReportText.render(stored.report)
        }
    }
}

/// `troc download FILE_ID -o OUT`: streams the envelope and decrypts it with the firm's private key.
struct DownloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "download", abstract: "Download a stored file and decrypt it with your private key.")

    @OptionGroup var options: ClientOptions
    @Argument(help: "The file id (fil_…).") var fileID: String
    @Option(name: [.short, .customLong("output")], help: "Where to write the decrypted CSV.") var output: String
    @Option(help: "Your private key (default: the one in your key directory whose fingerprint the broker names).") var key: String?

    func run() async throws {
        try await options.withClient { client in
            let me = try await client.me()
            // The file first: one that is not visible answers 404 before any question about keys.
            _ = try await client.file(fileID)
            let downloaded = try await EnvelopeDownload.run(
                client, endpoint: Endpoint(.fileContent, fileID), purpose: TransferPurpose.download(fileID: fileID), output: output
            ) { fingerprint in try KeyLocation.find(organisationID: me.organisation.id, fingerprint: fingerprint, explicit: key) }
            options.print(["file": fileID, "output": output, "bytes": String(downloaded.bytes), "keyFingerprint": downloaded.fingerprint ?? "-"]) {
                ""
            }
        }
    }
}

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

/// The broker key, checked against the fingerprint pinned in the profile at first use.
enum BrokerKeyPin {
    static func verifiedKey(_ client: TrocAPIClient, profile name: String) async throws -> EnvelopePublicKey {
        let brokerKey = try await client.brokerKey()
        let key = try EnvelopePublicKey(pemText: brokerKey.publicKey)
        let store = ProfileStore()
        var profile = try store.load(name)
        if let pinned = profile.brokerKeyFingerprint, pinned != key.fingerprint {
            throw TrocExit(
                .conflict,
                "troc: the broker's key changed (pinned \(pinned), now \(key.fingerprint)); check with the broker, then run `troc login` again")
        }
        if profile.brokerKeyFingerprint == nil {
            profile.brokerKeyFingerprint = key.fingerprint
            try store.save(profile, as: name)
        }
        return key
    }
}
