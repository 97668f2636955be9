import Crypto
import Foundation
import TrocCore

/// The MACs of the audit trail, specified byte for byte so that an auditor can recheck a copy of the database.
///
/// - Entry: `mac = HMAC-SHA-256(key, previous ‖ "troc/v1/audit-entry" 0x00 ‖ seq ‖ at ‖ actorUserID ‖ actorRole ‖
///   organisationID ‖ dealID ‖ action ‖ detail ‖ reason)`, where `previous` is the previous entry's MAC (32 zero bytes
///   for entry 1), `seq` and `at` (seconds since 1970) are 8-byte big-endian integers, and each text field is 0x00 when
///   absent, else 0x01, its UTF-8 length as a 4-byte big-endian integer, and its UTF-8 bytes. Lengths make the
///   encoding unambiguous; the sequence number in it makes a moved entry fail where it lands.
/// - Client address (entries from migration `v9-audit-client-address` on): an entry that records one appends, after `reason`, 0x01, the
///   4-byte length 32 and `HMAC-SHA-256(key, "troc/v1/audit-client-address" 0x00 ‖ address)`; an entry without one
///   appends nothing, so entries written before the column existed keep their MACs and the chain through them holds.
///   The MAC covers the address's keyed digest rather than its text so that the address, personal data kept for the
///   security of the service, can one day be erased after its retention period with the digest kept in its place.
/// - Head: `mac = HMAC-SHA-256(key, "troc/v1/audit-head" 0x00 ‖ count ‖ lastMAC)`, `count` 8 bytes big-endian: a tail
///   removed with the head left in place shows as a count past the last entry, and a forged head does not verify.
enum AuditChain {
    /// Bytes in a MAC, and in `previous`.
    static let macByteCount = 32
    /// The `previous` of the first entry.
    static let genesis = Data(repeating: 0, count: macByteCount)
    /// Domain label of entry MACs.
    static let entryLabel = "troc/v1/audit-entry"
    /// Domain label of the head MAC.
    static let headLabel = "troc/v1/audit-head"
    /// Domain label of a client address's digest.
    static let clientAddressLabel = "troc/v1/audit-client-address"

    /// The MAC of `entry` (its own `mac` field is not read).
    static func mac(of entry: AuditRecord, key: AuditKey) -> Data {
        var bytes = [UInt8](entry.previous)
        bytes += Array(entryLabel.utf8) + [0]
        append(UInt64(bitPattern: entry.seq), to: &bytes)
        append(UInt64(bitPattern: Int64(entry.at.timeIntervalSince1970)), to: &bytes)
        for field in [
            entry.actorUserID, entry.actorRole?.rawValue, entry.organisationID, entry.dealID, entry.action, entry.detail, entry.reason,
        ] {
            append(field, to: &bytes)
        }
        // Present only: after the length-prefixed `reason`, an address field or the end of the bytes cannot be confused.
        if let clientAddress = entry.clientAddress { append(clientAddressDigest(clientAddress, key: key), to: &bytes) }
        return Data(HMAC<SHA256>.authenticationCode(for: bytes, using: key.key))
    }

    /// The MAC of a head that counts `count` entries, the last with MAC `lastMAC`.
    static func headMAC(count: Int64, lastMAC: Data, key: AuditKey) -> Data {
        var bytes = Array(headLabel.utf8) + [0]
        append(UInt64(bitPattern: count), to: &bytes)
        bytes += lastMAC
        return Data(HMAC<SHA256>.authenticationCode(for: bytes, using: key.key))
    }

    /// The keyed digest of a client address that an entry's MAC covers.
    static func clientAddressDigest(_ address: String, key: AuditKey) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Array(clientAddressLabel.utf8) + [0] + Array(address.utf8), using: key.key))
    }

    /// Appends `value` big-endian in 8 bytes.
    private static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// Appends an optional text field: presence byte, 4-byte big-endian length, UTF-8 bytes.
    private static func append(_ text: String?, to bytes: inout [UInt8]) {
        guard let text else {
            bytes.append(0)
            return
        }
        append(Data(text.utf8), to: &bytes)
    }

    /// Appends a present field: 0x01, 4-byte big-endian length, the bytes.
    private static func append(_ field: Data, to bytes: inout [UInt8]) {
        bytes.append(1)
        let length = UInt32(field.count)
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: length >> UInt32(shift))) }
        bytes += field
    }
}
