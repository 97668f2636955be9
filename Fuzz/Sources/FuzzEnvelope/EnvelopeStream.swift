import Foundation
import FuzzSupport
import TrocCrypto

/// An `EnvelopeOpener` as the shared opening checks drive it.
struct EnvelopeStream: ChunkedOpener {
    var opener: EnvelopeOpener

    mutating func open(_ slice: ArraySlice<UInt8>) throws(EnvelopeError) -> [[UInt8]] {
        try opener.feed(slice).map { Array($0) }
    }

    mutating func close() throws(EnvelopeError) {
        try opener.finish()
    }
}
