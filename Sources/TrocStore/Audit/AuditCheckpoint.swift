package import Foundation

/// The audit trail's head as recorded off the broker's machine: how many entries it had and the last one's MAC.
///
/// Whoever holds the master key can rewrite the trail and recompute every MAC, so the chain alone cannot show it; a
/// checkpoint kept elsewhere can, since the trail must still hold entry `count` with exactly this MAC. The text form is
/// one `key value` pair per line after a `troc-audit-head 1` line; `#` lines are comments:
///
/// ```
/// troc-audit-head 1
/// broker org_…
/// count 1234
/// mac <64 hexadecimal digits>
/// recorded 2026-11-23T10:15:00Z
/// ```
package struct AuditCheckpoint: Sendable, Equatable {
    /// The first line of the text form; the number is the format's version.
    package static let magic = "troc-audit-head 1"

    /// The broker organisation whose trail it is, so a head is not checked against another broker's.
    package var brokerOrganisationID: String
    /// Entries in the trail, which is also the last entry's sequence number.
    package var count: Int64
    /// The MAC of entry `count`.
    package var mac: Data
    /// When the head was read.
    package var recordedAt: Date

    /// A checkpoint from its parts.
    package init(brokerOrganisationID: String, count: Int64, mac: Data, recordedAt: Date) {
        self.brokerOrganisationID = brokerOrganisationID
        self.count = count
        self.mac = mac
        self.recordedAt = Timestamp.stored(recordedAt)
    }

    /// The text form, to be kept off the broker's machine.
    package var text: String {
        """
        \(Self.magic)
        # The Troc audit trail's head: keep this file off the broker's machine, then check the trail still extends it
        # with `trocd admin audit verify --expect-head FILE`.
        broker \(brokerOrganisationID)
        count \(count)
        mac \(mac.map { String(format: "%02x", $0) }.joined())
        recorded \(recordedAt.ISO8601Format())

        """
    }

    /// Parses the text form; the error names the line and what is wrong with it.
    package init(text: String) throws(AuditCheckpointError) {
        var fields: [String: (line: Int, value: String)] = [:]
        var sawMagic = false
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard sawMagic else {
                guard line == Self.magic else { throw AuditCheckpointError(line: index + 1, problem: "expected `\(Self.magic)` first") }
                sawMagic = true
                continue
            }
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2, ["broker", "count", "mac", "recorded"].contains(parts[0]) else {
                throw AuditCheckpointError(line: index + 1, problem: "expected `broker`, `count`, `mac` or `recorded` and a value")
            }
            guard fields[parts[0]] == nil else { throw AuditCheckpointError(line: index + 1, problem: "`\(parts[0])` is given twice") }
            fields[parts[0]] = (index + 1, parts[1].trimmingCharacters(in: .whitespaces))
        }
        guard sawMagic else { throw AuditCheckpointError(line: 1, problem: "the file is empty; expected `\(Self.magic)`") }
        func field(_ name: String) throws(AuditCheckpointError) -> (line: Int, value: String) {
            guard let found = fields[name] else { throw AuditCheckpointError(line: nil, problem: "`\(name)` is missing") }
            return found
        }
        let broker = try field("broker")
        guard RecordID.isValid(broker.value, prefix: RecordID.organisation) else {
            throw AuditCheckpointError(line: broker.line, problem: "`\(broker.value)` is not an organisation id (org_…)")
        }
        let count = try field("count")
        guard let entries = Int64(count.value), entries >= 1 else {
            throw AuditCheckpointError(line: count.line, problem: "`\(count.value)` is not a count of entries (1 or more)")
        }
        let mac = try field("mac")
        guard let bytes = Self.bytes(hex: mac.value), bytes.count == 32 else {
            throw AuditCheckpointError(line: mac.line, problem: "the MAC is 64 hexadecimal digits")
        }
        let recorded = try field("recorded")
        guard let date = try? Date(recorded.value, strategy: .iso8601) else {
            throw AuditCheckpointError(line: recorded.line, problem: "`\(recorded.value)` is not an ISO 8601 date such as 2026-11-23T10:15:00Z")
        }
        self.init(brokerOrganisationID: broker.value, count: entries, mac: Data(bytes), recordedAt: date)
    }

    /// Hexadecimal text as bytes, or nil if it is not an even run of hexadecimal digits.
    private static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.lowercased().utf8)
        guard digits.count.isMultiple(of: 2), digits.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}

/// Why a recorded audit head could not be read, and where.
package struct AuditCheckpointError: Error, Equatable, CustomStringConvertible {
    /// The 1-based line at fault, nil for something missing.
    package var line: Int?
    /// What is wrong.
    package var problem: String

    package var description: String {
        (line.map { "line \($0): " } ?? "") + problem + "; write the file with `trocd admin audit head`"
    }
}
