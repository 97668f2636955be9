import Foundation
import TrocPDF

/// A ZIP archive (PKWARE APPNOTE 6.3, without ZIP64) built in memory: text files deflated, others stored, UTF-8 names,
/// the same bytes for the same entries. The accountant's export of a period's invoices.
struct ZIPArchive {
    /// Most entries an archive without ZIP64 holds.
    static let maximumEntries = 65_535
    /// Most bytes an archive without ZIP64 holds.
    static let maximumBytes = Int(UInt32.max)

    /// Why an archive cannot take more.
    struct TooLarge: Error {}

    private var body: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0

    /// Adds a file; `compress` deflates it (worth it for text, not for a PDF whose streams already are).
    mutating func add(name: String, bytes: [UInt8], modified: (year: Int, month: Int, day: Int), compress: Bool) throws {
        let nameBytes = Array(name.utf8)
        let crc = Self.crc32(bytes)
        var method: UInt16 = 0
        var data = bytes
        if compress {
            let zlib = ZlibCompressor.compress(bytes)
            // The zlib stream is a 2-byte header, raw deflate, and a 4-byte Adler-32: ZIP wants the raw deflate.
            let raw = Array(zlib[2..<(zlib.count - 4)])
            if raw.count < bytes.count {
                method = 8
                data = raw
            }
        }
        guard count < Self.maximumEntries, body.count + data.count + directory.count + 200 < Self.maximumBytes else { throw TooLarge() }
        let time: UInt16 = 0
        let date = UInt16(max(0, modified.year - 1980) << 9 | modified.month << 5 | modified.day)
        let offset = UInt32(body.count)
        var local: [UInt8] = []
        Self.append32(&local, 0x0403_4b50)
        Self.append16(&local, 20)
        Self.append16(&local, 0x0800)
        Self.append16(&local, method)
        Self.append16(&local, time)
        Self.append16(&local, date)
        Self.append32(&local, crc)
        Self.append32(&local, UInt32(data.count))
        Self.append32(&local, UInt32(bytes.count))
        Self.append16(&local, UInt16(nameBytes.count))
        Self.append16(&local, 0)
        body += local + nameBytes + data
        var central: [UInt8] = []
        Self.append32(&central, 0x0201_4b50)
        Self.append16(&central, 20)
        Self.append16(&central, 20)
        Self.append16(&central, 0x0800)
        Self.append16(&central, method)
        Self.append16(&central, time)
        Self.append16(&central, date)
        Self.append32(&central, crc)
        Self.append32(&central, UInt32(data.count))
        Self.append32(&central, UInt32(bytes.count))
        Self.append16(&central, UInt16(nameBytes.count))
        for _ in 0..<4 { Self.append16(&central, 0) }
        Self.append32(&central, 0)
        Self.append32(&central, offset)
        directory += central + nameBytes
        count += 1
    }

    /// The archive's bytes: the entries, the central directory and its end record.
    func finish() -> [UInt8] {
        var end: [UInt8] = []
        Self.append32(&end, 0x0605_4b50)
        Self.append16(&end, 0)
        Self.append16(&end, 0)
        Self.append16(&end, UInt16(count))
        Self.append16(&end, UInt16(count))
        Self.append32(&end, UInt32(directory.count))
        Self.append32(&end, UInt32(body.count))
        Self.append16(&end, 0)
        return body + directory + end
    }

    /// The CRC-32 (ISO-HDLC, reflected 0xEDB88320) of `bytes`.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    private static func append16(_ bytes: inout [UInt8], _ value: UInt16) {
        bytes += [UInt8(value & 0xFF), UInt8(value >> 8)]
    }

    private static func append32(_ bytes: inout [UInt8], _ value: UInt32) {
        bytes += [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
    }
}
