import Foundation
import FuzzSupport
import TrocCrypto

extension BlobOpener: ChunkedOpener {
    mutating func open(_ slice: ArraySlice<UInt8>) throws(BlobError) -> [[UInt8]] {
        try feed(slice).map { Array($0) }
    }

    mutating func close() throws(BlobError) {
        try finish()
    }
}
