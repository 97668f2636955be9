#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Webmail and consumer-ISP domains (`Fixtures/reference/webmail-domains.csv`): an address there is
/// a person's own, so a contact using one is a consumer (B2C) even when it names a company.
enum Webmail {
    /// The domains, lowercase.
    static let domains: Set<String> = Set(
        CSVRecordScanner.records(of: ReferenceData.webmailDomainsCSV, delimiter: UInt8(ascii: ",")).dropFirst().compactMap(\.first))

    /// The domains' bytes in 256 buckets by FNV-1a hash: a lookup per row hashes a few bytes and
    /// compares one or two candidates, without building a String.
    private static let buckets: [[[UInt8]]] = {
        var buckets = [[[UInt8]]](repeating: [], count: 256)
        for domain in domains {
            let bytes = Array(domain.utf8)
            bytes.withUnsafeBufferPointer { buckets[Int(fnv1a($0) & 255)].append(bytes) }
        }
        return buckets
    }()

    /// Whether the lowercased domain is a webmail or consumer ISP.
    @inline(__always)
    static func contains(_ domain: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let start = domain.baseAddress, !domain.isEmpty else { return false }
        for candidate in buckets[Int(fnv1a(domain) & 255)] where candidate.count == domain.count {
            if candidate.withUnsafeBytes({ memcmp($0.baseAddress!, start, domain.count) == 0 }) { return true }
        }
        return false
    }

    @inline(__always)
    private static func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }
}
