import Foundation
import Testing
import TrocCrypto
import TrocTestSupport

/// Runs the browser's envelope module (`Sources/TrocServer/Console/Assets/troc-envelope.js`) under Node.js, through
/// the file glue of `Tests/Interop/webcrypto_envelope.mjs`, and reads back its one-line JSON report.
enum WebCryptoHarness {
    /// The Node.js glue that reads and writes files for it.
    static let script = RepositoryPaths.webCryptoScript

    /// What one run reported; which fields are present depends on the command.
    struct Report: Decodable {
        /// Whether the module accepted the input.
        let ok: Bool
        /// The module's refusal, when `ok` is false.
        let error: Refusal?
        /// `encrypt`: bytes of envelope written.
        let envelopeBytes: Int?
        /// `encrypt`: what the module's `envelopeLength` announced for the file.
        let expectedLength: Int?
        /// `encrypt`: the largest slice the module read from the file at once.
        let largestSlice: Int?
        /// `encrypt`: how many slices reading ran ahead of the records written, at most (nil when not measured).
        let mostSlicesAhead: Int?
        /// `encrypt`: how many times `onProgress` was called.
        let progressCalls: Int?
        /// `encrypt`: the last progress reported.
        let lastProgress: Progress?
        /// `decrypt`: plaintext bytes released, before a refusal too.
        let yieldedBytes: Int?
        /// `decrypt`: SHA-256 of the plaintext released, as hex.
        let yieldedSha256: String?
        /// `decrypt` of a stream: envelope bytes pulled from the source when the first plaintext was released.
        let pulledAtFirstOutput: Int?
        /// `decrypt` of a stream: whether the module cancelled its source.
        let sourceCancelled: Bool?
        /// `decrypt` with `openToBlob`: the blob's media type.
        let blobType: String?
        /// Key commands: the public key, as hex.
        let publicKey: String?
        /// Key commands: the key's fingerprint.
        let fingerprint: String?
    }

    /// A progress callback's argument.
    struct Progress: Decodable, Equatable {
        /// Bytes processed so far.
        let done: Int
        /// Bytes in all, when known.
        let total: Int?
    }

    /// A value of an error's details: a number or a text.
    enum Detail: Decodable, Equatable, CustomStringConvertible, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
        case number(Int)
        case text(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int.self) {
                self = .number(number)
            } else {
                self = .text(try container.decode(String.self))
            }
        }

        init(integerLiteral value: Int) { self = .number(value) }

        init(stringLiteral value: String) { self = .text(value) }

        var description: String {
            switch self {
            case .number(let number): String(number)
            case .text(let text): "\"\(text)\""
            }
        }
    }

    /// An error as the module reports it: its class, case, message and values.
    struct Refusal: Decodable, Equatable, CustomStringConvertible {
        let name: String
        let code: String
        let message: String
        let details: [String: Detail]

        /// The refusal the module must give for what TrocCrypto refuses with `error`.
        init(_ error: EnvelopeError) {
            name = "EnvelopeError"
            message = error.description
            switch error {
            case .notAnEnvelope: (code, details) = ("notAnEnvelope", [:])
            case .unsupportedVersion(let version): (code, details) = ("unsupportedVersion", ["version": .number(Int(version))])
            case .unsupportedSuite(let kem, let kdf, let aead):
                (code, details) = ("unsupportedSuite", ["kem": .number(Int(kem)), "kdf": .number(Int(kdf)), "aead": .number(Int(aead))])
            case .invalidPurpose(let reason): (code, details) = ("invalidPurpose", ["reason": .text(reason)])
            case .invalidKey(let reason): (code, details) = ("invalidKey", ["reason": .text(reason)])
            case .wrongKeyOrPurpose: (code, details) = ("wrongKeyOrPurpose", [:])
            case .framing(let failure): (code, details) = Self.codeAndDetails(failure)
            case .sealingFailed(let reason): (code, details) = ("sealingFailed", ["reason": .text(reason)])
            }
        }

        /// The module's code and values for a framing failure, which it reports as a case of its own.
        private static func codeAndDetails(_ failure: FramingFailure) -> (String, [String: Detail]) {
            switch failure {
            case .chunkSizeOutOfBounds(let size): ("chunkSizeOutOfBounds", ["chunkSize": .number(size)])
            case .chunkAuthenticationFailed(let index, let offset):
                ("chunkAuthenticationFailed", ["index": .number(index), "offset": .number(offset)])
            case .malformedRecord(let index, let offset, let reason):
                ("malformedRecord", ["index": .number(index), "offset": .number(offset), "reason": .text(reason.text)])
            case .truncated(let completeChunks, let offset): ("truncated", ["completeChunks": .number(completeChunks), "offset": .number(offset)])
            case .trailingData(let offset): ("trailingData", ["offset": .number(offset)])
            case .chunkLengthMismatch(let expected, let actual): ("chunkLengthMismatch", ["expected": .number(expected), "actual": .number(actual)])
            case .lastChunkTooLong(let maximum, let actual): ("lastChunkTooLong", ["maximum": .number(maximum), "actual": .number(actual)])
            }
        }

        /// The refusal the module must give for a key TrocCrypto refuses with `error`.
        init(_ error: KeyFileError) {
            name = "KeyFileError"
            message = error.description
            switch error {
            case .noPEMBlock(let label): (code, details) = ("noPEMBlock", ["expectedLabel": .text(label)])
            case .wrongPEMLabel(let found, let expected): (code, details) = ("wrongPEMLabel", ["found": .text(found), "expected": .text(expected)])
            case .encryptedPrivateKey: (code, details) = ("encryptedPrivateKey", [:])
            case .invalidBase64: (code, details) = ("invalidBase64", [:])
            case .notX25519(let algorithm): (code, details) = ("notX25519", ["algorithm": .text(algorithm)])
            case .malformedDER(let byteCount): (code, details) = ("malformedDER", ["byteCount": .number(byteCount)])
            case .invalidRawKeyLength(let count): (code, details) = ("invalidRawKeyLength", ["count": .number(count)])
            case .lowOrderPublicKey: (code, details) = ("lowOrderPublicKey", [:])
            }
        }

        var description: String { "\(name).\(code) \(details): \(message)" }
    }

    /// The reason Node.js cannot run the module, or nil when `node` is 20 or later; checked once per test run.
    static let unavailability: String? = {
        guard let outcome = try? execute(["--version"]), outcome.status == 0 else {
            return "`node` is not on PATH"
        }
        let version = String(decoding: outcome.standardOutput, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let major = Int(version.dropFirst().prefix { $0 != "." }), major >= 20 else {
            return "`node` is \(version)"
        }
        return nil
    }()

    /// Fails the test, saying how to fix it, when Node.js is missing: CI has it, so a skip would hide a gap.
    static func requireNode() throws {
        let problem = unavailability ?? ""
        try #require(
            unavailability == nil,
            "the WebCrypto envelope tests run the browser module under Node.js 20 or later (its WebCrypto has X25519): install it (\(problem))"
        )
    }

    /// Runs the glue with `arguments` and decodes its report; an exit status other than 0 or 1 fails the test.
    static func run(_ arguments: [String]) throws -> Report {
        let outcome = try execute([script.path] + arguments)
        let standardError = String(decoding: outcome.standardError, as: UTF8.self)
        try #require(
            outcome.status == 0 || outcome.status == 1,
            "webcrypto_envelope.mjs \(arguments.joined(separator: " ")) exited with \(outcome.status): \(standardError)")
        let report = try JSONDecoder().decode(Report.self, from: outcome.standardOutput)
        try #require(report.ok == (outcome.status == 0), "exit status \(outcome.status) disagrees with the report")
        return report
    }

    /// Opens `envelope` with the module and returns its report and the plaintext it wrote (nil once refused).
    static func open(
        _ envelope: [UInt8], keyFile: URL, purpose: String, in directory: URL, via: String = "stream", piece: Int = 4093
    ) throws -> (report: Report, plaintext: [UInt8]?) {
        let input = directory.appending(path: "webcrypto-in-\(UUID().uuidString).troc")
        let output = directory.appending(path: "webcrypto-out-\(UUID().uuidString).csv")
        try Data(envelope).write(to: input)
        let report = try run(["decrypt", keyFile.path, input.path, output.path, "--purpose", purpose, "--via", via, "--piece", String(piece)])
        let plaintext = FileManager.default.fileExists(atPath: output.path) ? Array(try Data(contentsOf: output)) : nil
        return (report, plaintext)
    }

    /// Seals `plaintext` with the module, the glue given `options` too, and returns its report and the envelope it wrote.
    static func seal(
        _ plaintext: [UInt8], publicKeyFile: URL, purpose: String, chunkSize: Int, via: String, in directory: URL, options: [String] = []
    ) throws -> (report: Report, envelope: [UInt8]) {
        let input = directory.appending(path: "webcrypto-plain-\(UUID().uuidString).csv")
        let output = directory.appending(path: "webcrypto-sealed-\(UUID().uuidString).troc")
        try Data(plaintext).write(to: input)
        let report = try run(
            [
                "encrypt", publicKeyFile.path, input.path, output.path, "--purpose", purpose, "--chunk-size", String(chunkSize), "--via", via,
            ] + options)
        let envelope = FileManager.default.fileExists(atPath: output.path) ? Array(try Data(contentsOf: output)) : []
        return (report, envelope)
    }

    /// Runs `node` with `arguments`: exit status, standard output and standard error.
    private static func execute(_ arguments: [String]) throws -> (status: Int32, standardOutput: Data, standardError: Data) {
        let run = try ExternalTool.run("node", arguments)
        return (run.status, run.output, Data(run.error.utf8))
    }
}
