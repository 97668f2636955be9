import Crypto
import Foundation
import Testing
import TrocCore

@testable import TrocCrypto

/// The noise of partner figures comes from a per-deal key of its own, in a documented, reproducible way.
@Suite struct DealNoiseTests {
    @Test func theNoiseKeyIsItsOwnHKDFDerivation() {
        let secret = RootHashingSecret.generate()
        let expected = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: secret.key, salt: [UInt8](), info: Array("troc/v1/deal-noise-key".utf8) + [0] + Array("del_x".utf8), outputByteCount: 32
        )
        #expect(secret.dealNoiseKey(dealID: "del_x") == expected)
        #expect(secret.dealNoiseKey(dealID: "del_x") != secret.dealMatchKey(dealID: "del_x"))
        #expect(secret.dealNoiseKey(dealID: "del_x") != secret.dealNoiseKey(dealID: "del_y"))
    }

    @Test func eachFigureGetsItsOwnReproducibleStream() {
        let key = SymmetricKey(size: .bits256)
        let noise = DealNoise(key: key)
        var first = noise.stream(for: "A.contacts")
        var again = noise.stream(for: "A.contacts")
        var other = noise.stream(for: "B.contacts")
        let words = (0..<9).map { _ in first.next() }
        #expect(words == (0..<9).map { _ in again.next() })
        #expect(words != (0..<9).map { _ in other.next() })
        #expect(Set(words).count == 9)

        // Block i is HMAC(key, label ‖ 0x00 ‖ i big-endian), read as big-endian words.
        func block(_ index: UInt64) -> [UInt64] {
            var message = Array("A.contacts".utf8) + [0]
            withUnsafeBytes(of: index.bigEndian) { message.append(contentsOf: $0) }
            let mac = Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
            return (0..<4).map { word in mac[word * 8..<word * 8 + 8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
        }
        #expect(Array(words[0..<4]) == block(0) && Array(words[4..<8]) == block(1) && words[8] == block(2)[0])
    }

    @Test func theWordsLookUniform() {
        var stream = DealNoise(key: SymmetricKey(size: .bits256)).stream(for: "overlapEmails")
        let count = 20_000
        var bits = [Int](repeating: 0, count: 64)
        for _ in 0..<count {
            let word = stream.next()
            for bit in 0..<64 where word >> UInt64(bit) & 1 == 1 { bits[bit] += 1 }
        }
        // Each bit is set half the time, within five standard deviations (√(n/4) ≈ 71).
        #expect(bits.allSatisfy { abs($0 - count / 2) < 5 * 71 }, "\(bits)")
    }
}
