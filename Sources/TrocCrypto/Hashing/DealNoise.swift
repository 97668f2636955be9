public import Crypto
import Foundation
public import TrocCore

/// The noise of one deal's partner figures, drawn from the deal's noise key (`RootHashingSecret.dealNoiseKey`): each
/// figure gets its own stream, so the figures' noises are independent, and the same figure always gets the same noise.
public struct DealNoise: FigureNoiseSource, Sendable {
    private let key: SymmetricKey

    /// The noise drawn from `key`.
    public init(key: SymmetricKey) {
        self.key = key
    }

    /// The words of the figure named `label`.
    public func stream(for label: String) -> HMACWordStream {
        HMACWordStream(key: key, label: label)
    }
}

/// Uniform 64-bit words from HMAC-SHA256 in counter mode: block i is HMAC(key, label ‖ 0x00 ‖ i as 8 big-endian bytes),
/// read as four big-endian words. A pseudorandom function keyed by a secret, so the words cannot be told from random
/// without the key.
public struct HMACWordStream: RandomNumberGenerator {
    private let key: SymmetricKey
    private let label: [UInt8]
    private var counter: UInt64 = 0
    private var block: [UInt64] = []
    private var position = 0

    init(key: SymmetricKey, label: String) {
        self.key = key
        self.label = Array(label.utf8) + [0]
    }

    /// The next word.
    public mutating func next() -> UInt64 {
        if position == block.count {
            var message = label
            withUnsafeBytes(of: counter.bigEndian) { message.append(contentsOf: $0) }
            let mac = Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
            block = stride(from: 0, to: mac.count, by: 8).map { start in mac[start..<start + 8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
            position = 0
            counter += 1
        }
        defer { position += 1 }
        return block[position]
    }
}
