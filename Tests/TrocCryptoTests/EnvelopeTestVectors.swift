import Foundation
import Testing
import TrocCrypto

/// One decryption vector from docs/envelope.md.
struct EnvelopeTestVector: CustomStringConvertible, Sendable {
    /// The `key: value` lines of the vector's block.
    let fields: [String: String]
    /// The envelope bytes.
    let envelope: [UInt8]

    /// Reads every vector block (a ```` ```text ```` block starting with `vector:`) from the format document.
    static func loadAll() throws -> [EnvelopeTestVector] {
        let lines = try String(contentsOf: RepositoryPaths.envelopeDoc, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        var vectors: [EnvelopeTestVector] = []
        var index = 0
        while index < lines.count {
            guard lines[index] == "```text", index + 1 < lines.count, lines[index + 1].hasPrefix("vector:") else {
                index += 1
                continue
            }
            var fields: [String: String] = [:]
            var envelopeHex = ""
            var inEnvelope = false
            index += 1
            while lines[index] != "```" {
                if inEnvelope {
                    envelopeHex += lines[index]
                } else if lines[index] == "envelope:" {
                    inEnvelope = true
                } else if let colon = lines[index].firstIndex(of: ":") {
                    fields[String(lines[index][..<colon])] = lines[index][lines[index].index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                index += 1
            }
            vectors.append(EnvelopeTestVector(fields: fields, envelope: try bytes(hex: envelopeHex)))
        }
        return vectors
    }

    /// A field's value, or a test failure naming it.
    func field(_ name: String) throws -> String {
        try #require(fields[name], "vector \(description) has no \(name)")
    }

    /// The documented plaintext: `p[i] = i mod 251`.
    func plaintext() throws -> [UInt8] {
        (0..<(try #require(Int(try field("plaintext_length"))))).map { UInt8($0 % 251) }
    }

    var description: String { fields["vector"] ?? "?" }
}
