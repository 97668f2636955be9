import Crypto
import Foundation
import PropertyBased
import Testing
import TrocCore
import TrocCrypto

@Suite struct HMACMatchKeyHasherTests {
    private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    // RFC 4231 test cases 1, 2, 6 (key longer than a block) and 7 (long key and message).
    @Test(arguments: [
        ([UInt8](repeating: 0x0B, count: 20), Array("Hi There".utf8), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (
            [UInt8](repeating: 0xAA, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
        (
            [UInt8](repeating: 0xAA, count: 131),
            Array(
                "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."
                    .utf8),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        ),
    ])
    func rfc4231Vectors(key: [UInt8], message: [UInt8], expected: String) {
        #expect(hex(HMACMatchKeyHasher.hmac(key: key, message: message)) == expected)
    }

    @Test func agreesWithSwiftCryptoForEveryLength() async {
        await propertyCheck(input: Gen.uint8().array(of: 16...100), Gen.uint8().array(of: 0...300)) { key, message in
            let reference = Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
            #expect(HMACMatchKeyHasher.hmac(key: key, message: message) == reference)
        }
    }

    // The pair runs the two compressions side by side, block by block, whatever their lengths (one or two
    // tail blocks, whole blocks before them): each key must be the one a single call gives.
    @Test func pairedKeysAreTheSingleKeys() async {
        let hasher = HMACMatchKeyHasher(secret: [UInt8](repeating: 3, count: 32))
        await propertyCheck(input: Gen.uint8().array(of: 0...200), Gen.uint8().array(of: 0...200)) { first, second in
            let paired = first.withUnsafeBytes { a in second.withUnsafeBytes { b in hasher.matchKeys(.email, of: a, .phone, of: b) } }
            let single = (
                first.withUnsafeBytes { hasher.matchKey(.email, of: $0) }, second.withUnsafeBytes { hasher.matchKey(.phone, of: $0) }
            )
            #expect(paired == single)
            let reference = Array(
                HMAC<SHA256>.authenticationCode(
                    for: first,
                    using: SymmetricKey(
                        data: HMACMatchKeyHasher.hmac(key: [UInt8](repeating: 3, count: 32), message: Array("troc/match-key/v1/email".utf8)))))
            #expect(paired.0 == MatchKey(digest: reference))
        }
    }

    // Messages of up to 55 bytes fit one block after the pad and take a shorter path through the pair: each length
    // around that edge, beside each other, against swift-crypto.
    @Test func pairedKeysAroundTheOneBlockEdgeAreHMACs() {
        let secret = [UInt8](repeating: 5, count: 32)
        let hasher = HMACMatchKeyHasher(secret: secret)
        let subkey = { (kind: String) in HMACMatchKeyHasher.hmac(key: secret, message: Array("troc/match-key/v1/\(kind)".utf8)) }
        let lengths = [0, 1, 2, 31, 32, 54, 55, 56, 57, 63, 64, 65, 119, 120]
        for first in lengths {
            for second in lengths {
                let a = (0..<first).map { UInt8(truncatingIfNeeded: $0 * 31 + first) }
                let b = (0..<second).map { UInt8(truncatingIfNeeded: $0 * 17 + second + 1) }
                let paired = a.withUnsafeBytes { a in b.withUnsafeBytes { b in hasher.matchKeys(.email, of: a, .siret, of: b) } }
                let expected = (
                    MatchKey(digest: Array(HMAC<SHA256>.authenticationCode(for: a, using: SymmetricKey(data: subkey("email"))))),
                    MatchKey(digest: Array(HMAC<SHA256>.authenticationCode(for: b, using: SymmetricKey(data: subkey("siret")))))
                )
                #expect(paired == expected, "lengths \(first) and \(second)")
            }
        }
    }

    @Test func eachKindHasItsOwnSubkey() {
        let hasher = HMACMatchKeyHasher(secret: [UInt8](repeating: 7, count: 32))
        let value = "+33612345678"
        let keys = MatchKeyKind.allCases.map { hasher.matchKey($0, of: value) }
        #expect(Set(keys).count == 3)
        // The email key is the first 128 bits of HMAC(subkey, value) with the documented subkey.
        let subkey = HMACMatchKeyHasher.hmac(key: [UInt8](repeating: 7, count: 32), message: Array("troc/match-key/v1/email".utf8))
        let full = HMACMatchKeyHasher.hmac(key: subkey, message: Array(value.utf8))
        #expect(keys[0] == MatchKey(digest: full))
    }

    @Test func differentSecretsGiveUnrelatedKeys() {
        let first = HMACMatchKeyHasher(secret: [UInt8](repeating: 1, count: 32))
        let second = HMACMatchKeyHasher(secret: [UInt8](repeating: 2, count: 32))
        #expect(first.matchKey(.email, of: "jean@example.fr") != second.matchKey(.email, of: "jean@example.fr"))
    }

    @Test(arguments: [
        ("ab" + String(repeating: "00", count: 31), 32),
        (Data(repeating: 9, count: 24).base64EncodedString(), 24),
    ])
    func keyFilesAcceptHexAndBase64(text: String, length: Int) throws {
        #expect(try MatchKeySecret.parse(Array((text + "\n").utf8)).count == length)
    }

    @Test func keyFilesRefuseShortSecrets() {
        #expect(throws: MatchKeySecretError.self) { try MatchKeySecret.parse(Array("short".utf8)) }
    }
}
