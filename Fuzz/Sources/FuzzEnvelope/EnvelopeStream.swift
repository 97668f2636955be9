import Foundation
import FuzzSupport
import TrocCrypto

extension EnvelopeOpener: ChunkedOpener {
    mutating func open(_ slice: ArraySlice<UInt8>) throws(EnvelopeError) -> [[UInt8]] {
        try feed(slice).map { Array($0) }
    }

    mutating func close() throws(EnvelopeError) {
        try finish()
    }
}
