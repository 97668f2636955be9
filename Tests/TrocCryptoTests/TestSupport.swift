import Foundation
import Testing
import TrocCrypto
import TrocTestSupport

/// Paths inside the repository, found from this file so tests run from any working directory.
enum RepositoryPaths {
    /// The independent pyhpke implementation of the envelope.
    static let interopScript = Repository.file("Tests/Interop/hpke_envelope.py")
    /// The Node.js glue around the browser's envelope module.
    static let webCryptoScript = Repository.file("Tests/Interop/webcrypto_envelope.mjs")
    /// The format document holding the test vectors.
    static let envelopeDoc = Repository.file("docs/envelope.md")
}

/// Fixed inputs shared by several suites.
enum Fixtures {
    /// The recipient private key of RFC 9180 test vector A.1 (skRm), reused by the documented envelope vectors.
    static let rfc9180PrivateKeyHex = "4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8"
    /// The matching public key (pkRm).
    static let rfc9180PublicKeyHex = "3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d"

    /// A fresh random key pair for one test.
    static func keyPair() -> (EnvelopePrivateKey, EnvelopePublicKey) {
        let privateKey = EnvelopePrivateKey.generate()
        return (privateKey, privateKey.publicKey)
    }
}

/// Random bytes for plaintexts (not keys).
func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
}

/// Decodes hex text, ignoring whitespace.
func bytes(hex: String) throws -> [UInt8] {
    let digits = Array(hex.utf8.filter { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) })
    try #require(digits.count % 2 == 0, "odd number of hex digits")
    return try stride(from: 0, to: digits.count, by: 2).map { index in
        try #require(UInt8(String(decoding: digits[index...(index + 1)], as: UTF8.self), radix: 16))
    }
}

/// Lowercase hex of bytes.
func hex(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { ($0 < 0x10 ? "0" : "") + String($0, radix: 16) }.joined()
}

/// Seals `plaintext` the way a streaming sender does: full chunks with `seal`, the rest with `finish`.
func sealEnvelope(
    _ plaintext: [UInt8],
    to recipient: EnvelopePublicKey,
    purpose: EnvelopePurpose,
    chunkSize: Int = 1024,
    aead: EnvelopeAEAD = .aesGCM256
) throws -> [UInt8] {
    var sealer = try EnvelopeSealer(recipient: recipient, purpose: purpose, chunkSize: chunkSize, aead: aead)
    var envelope = Array(sealer.header.bytes)
    var start = 0
    while plaintext.count - start >= chunkSize {
        envelope += try sealer.seal(plaintext[start..<(start + chunkSize)])
        start += chunkSize
    }
    envelope += try sealer.finish(plaintext[start...])
    return envelope
}

/// Opens an envelope fed in slices of `sliceSize` bytes (all at once when nil) and checks the end marker.
func openEnvelope(_ envelope: [UInt8], with privateKey: EnvelopePrivateKey, purpose: EnvelopePurpose, sliceSize: Int? = nil) throws(EnvelopeError)
    -> [UInt8]
{
    var opener = EnvelopeOpener(privateKey: privateKey, purpose: purpose)
    var plaintext: [UInt8] = []
    var start = 0
    repeat {
        let end = min(envelope.count, start + (sliceSize ?? envelope.count))
        for chunk in try opener.feed(envelope[start..<end]) { plaintext += chunk }
        start = end
    } while start < envelope.count
    try opener.finish()
    return plaintext
}

/// Opens an envelope fed in random slice sizes between 1 and `maximumSlice`.
func openEnvelopeInRandomSlices(_ envelope: [UInt8], with privateKey: EnvelopePrivateKey, purpose: EnvelopePurpose, maximumSlice: Int) throws
    -> [UInt8]
{
    var opener = EnvelopeOpener(privateKey: privateKey, purpose: purpose)
    var plaintext: [UInt8] = []
    var start = 0
    while start < envelope.count {
        let end = min(envelope.count, start + Int.random(in: 1...maximumSlice))
        for chunk in try opener.feed(envelope[start..<end]) { plaintext += chunk }
        start = end
    }
    try opener.finish()
    return plaintext
}

/// The error opening `envelope` throws, from `feed` or `finish`, or nil if it opens.
func envelopeError(_ envelope: [UInt8], with privateKey: EnvelopePrivateKey, purpose: EnvelopePurpose) -> EnvelopeError? {
    do {
        _ = try openEnvelope(envelope, with: privateKey, purpose: purpose)
        return nil
    } catch {
        return error
    }
}

/// Seals a blob the way the store does: full chunks with `seal`, the rest with `finish`; returns it with its data key.
func sealBlob(_ plaintext: [UInt8], chunkSize: Int = 1024) throws -> (blob: [UInt8], dataKey: DataKey) {
    var sealer = try BlobSealer(chunkSize: chunkSize)
    let dataKey = sealer.dataKey
    var blob = Array(sealer.header.bytes)
    var start = 0
    while plaintext.count - start >= chunkSize {
        blob += try sealer.seal(plaintext[start..<(start + chunkSize)])
        start += chunkSize
    }
    blob += try sealer.finish(plaintext[start...])
    return (blob, dataKey)
}

/// A data key that sealed nothing, standing for another blob's key.
func unrelatedDataKey() throws -> DataKey {
    try BlobSealer().dataKey
}

/// Opens a blob fed in slices of `sliceSize` bytes (all at once when nil) and checks the end marker.
func openBlob(_ blob: [UInt8], dataKey: DataKey, sliceSize: Int? = nil) throws(BlobError) -> [UInt8] {
    var opener = BlobOpener(dataKey: dataKey)
    var plaintext: [UInt8] = []
    var start = 0
    repeat {
        let end = min(blob.count, start + (sliceSize ?? blob.count))
        for chunk in try opener.feed(blob[start..<end]) { plaintext += chunk }
        start = end
    } while start < blob.count
    try opener.finish()
    return plaintext
}

/// A temporary directory removed when the closure returns.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory.appending(path: "troc-crypto-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}
