import Foundation
import FuzzSupport
import TrocCrypto

/// A `BlobOpener` as the shared opening checks drive it.
struct BlobStream: ChunkedOpener {
    var opener: BlobOpener

    mutating func open(_ slice: ArraySlice<UInt8>) throws(BlobError) -> [[UInt8]] {
        try opener.feed(slice).map { Array($0) }
    }

    mutating func close() throws(BlobError) {
        try opener.finish()
    }
}
