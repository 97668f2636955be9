import Foundation

/// The PEM text armour (RFC 7468) around DER bytes.
enum PEM {
    /// Wraps DER bytes in a PEM block with 64-column base64 lines.
    static func encode(_ der: [UInt8], label: String) -> String {
        let base64 = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(base64)\n-----END \(label)-----\n"
    }

    /// The DER bytes of the first PEM block in `text`, which must carry `label`.
    static func decode(_ text: String, label: String) throws(KeyFileError) -> [UInt8] {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let begin = lines.firstIndex(where: { $0.hasPrefix("-----BEGIN ") && $0.hasSuffix("-----") }) else {
            throw .noPEMBlock(expectedLabel: label)
        }
        let found = String(lines[begin].dropFirst("-----BEGIN ".count).dropLast("-----".count))
        guard found == label else {
            throw found == "ENCRYPTED PRIVATE KEY" ? .encryptedPrivateKey : .wrongPEMLabel(found: found, expected: label)
        }
        guard let end = lines[begin...].firstIndex(of: "-----END \(label)-----") else { throw .noPEMBlock(expectedLabel: label) }
        guard let der = Data(base64Encoded: lines[(begin + 1)..<end].joined()) else { throw .invalidBase64 }
        return Array(der)
    }
}
