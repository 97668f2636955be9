import Foundation
import Testing
import TrocCore
import TrocCrypto
import TrocStore

/// A fresh directory under the system temporary directory, removed when the value is released.
final class TemporaryDirectory {
    /// The directory's path.
    let path: String

    /// Creates the directory.
    init() throws {
        path = FileManager.default.temporaryDirectory.appending(path: "troc-store-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A path inside the directory.
    func appending(_ component: String) -> String { path + "/" + component }
}

/// Fixed dates, whole seconds, so stored values compare equal to what the tests pass.
enum Dates {
    /// 2025-01-01T00:00:00Z.
    static let start = Date(timeIntervalSince1970: 1_735_689_600)

    /// `seconds` after `start`.
    static func at(_ seconds: TimeInterval) -> Date { start.addingTimeInterval(seconds) }
}

/// Valid organisations to create.
enum Organisations {
    /// A SIREN whose Luhn checksum holds, derived from `seed` so each test can make distinct ones.
    static func siren(_ seed: Int) -> String {
        let body = String(format: "%08d", seed % 100_000_000)
        for check in 0...9 {
            let candidate = body + String(check)
            let sum = candidate.reversed().enumerated().reduce(0) { sum, element in
                var digit = Int(String(element.element))!
                if element.offset % 2 == 1 {
                    digit *= 2
                    if digit > 9 { digit -= 9 }
                }
                return sum + digit
            }
            if sum % 10 == 0 { return candidate }
        }
        fatalError("some check digit always works")
    }

    /// The broker organisation.
    static func broker(siren: String = siren(1)) -> OrganisationDraft {
        OrganisationDraft(
            kind: .broker, name: "Troc SAS", siren: siren, nafCode: "63.11Z", street: "1 rue de la Paix", postcode: "75002", city: "Paris",
            countryCode: "FR")
    }

    /// A French partner firm.
    static func partner(_ name: String = "Alpha Conseil", siren: String = siren(2)) -> OrganisationDraft {
        OrganisationDraft(
            kind: .partner, name: name, siren: siren, siret: siren + "00012", vatNumber: nil, nafCode: "70.22Z", street: "5 quai Rambaud",
            postcode: "69002", city: "Lyon", countryCode: "FR")
    }
}

/// Deterministic pseudo-random bytes (SplitMix64), so a blob's content can be recomputed from its seed.
func patternBytes(count: Int, seed: UInt64) -> [UInt8] {
    var state = seed &+ 0x9E37_79B9_7F4A_7C15
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count + 8)
    while bytes.count < count {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        withUnsafeBytes(of: z) { bytes.append(contentsOf: $0) }
    }
    return Array(bytes.prefix(count))
}

/// Writes `bytes` as a new blob, in slices of random sizes up to `maximumSlice`.
func storeBlob(_ bytes: [UInt8], in store: BlobStore, masterKey: MasterKey, maximumSlice: Int = 100_000) throws -> StoredBlob {
    let writer = try store.makeWriter(masterKey: masterKey)
    try append(bytes, to: writer, maximumSlice: maximumSlice)
    return try writer.finish()
}

/// Appends `bytes` to `writer` in slices of random sizes up to `maximumSlice`, as a stream arrives.
func append(_ bytes: [UInt8], to writer: BlobWriter, maximumSlice: Int) throws {
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + Int.random(in: 1...maximumSlice))
        try bytes[offset..<end].withUnsafeBytes { try writer.append($0) }
        offset = end
    }
}

/// Reads a whole blob through `BlobReader`, in reads of `bufferSize` bytes.
func readBlob(
    _ id: String, wrappedKey: WrappedKey, in store: BlobStore, masterKey: MasterKey, bufferSize: Int = 70_000
) throws -> [UInt8] {
    try readAll(try store.openReader(blobID: id, wrappedKey: wrappedKey, masterKey: masterKey), bufferSize: bufferSize)
}

/// Everything `reader` has left, in reads of `bufferSize` bytes.
func readAll(_ reader: BlobReader, bufferSize: Int) throws -> [UInt8] {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 1)
    defer { buffer.deallocate() }
    var bytes: [UInt8] = []
    while true {
        let count = try reader.read(into: buffer)
        if count == 0 { return bytes }
        bytes.append(contentsOf: buffer[..<count])
    }
}

/// Whether `haystack` contains `needle` as a contiguous run.
func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, haystack.count >= needle.count else { return false }
    let first = needle[0]
    var index = 0
    while let found = haystack[index...].firstIndex(of: first) {
        if found + needle.count > haystack.count { return false }
        if haystack[found..<(found + needle.count)].elementsEqual(needle) { return true }
        index = found + 1
    }
    return false
}
